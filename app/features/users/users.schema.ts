import { z } from 'zod';

/**
 * The staff sign-in form. Issues carry message keys (auth.error.*) rather than texts, so the route
 * can show them in the viewer's language.
 */
export const staffLoginSchema = z.object({
  email: z
    .string({ error: 'auth.error.emailRequired' })
    .trim()
    .min(1, { error: 'auth.error.emailRequired' })
    .max(254, { error: 'auth.error.emailInvalid' })
    .pipe(z.email({ error: 'auth.error.emailInvalid' })),
  // No trimming: spaces are legitimate password characters. The cap bounds argon2 work per request.
  password: z
    .string({ error: 'auth.error.passwordRequired' })
    .min(1, { error: 'auth.error.passwordRequired' })
    .max(1024, { error: 'auth.error.invalidCredentials' }),
});

export type StaffLoginInput = z.infer<typeof staffLoginSchema>;
