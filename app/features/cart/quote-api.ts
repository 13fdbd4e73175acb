/** Where the checkout page posts its form for a live re-quote (app/routes/api.checkout.quote.ts). */
export const QUOTE_API_PATH = '/api/checkout/quote';
