import type { ReactNode } from 'react';
import { cn } from './cn';

/** The "nothing here yet" block: an icon, a title, a line of explanation and an optional action. */
export function EmptyState({
  icon,
  title,
  description,
  action,
  className,
}: {
  icon?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  return (
    <div
      className={cn(
        'flex flex-col items-center rounded-lg border border-dashed border-stone-300 bg-white px-6 py-12 text-center',
        className,
      )}
    >
      {icon ? (
        <div className="mb-3 flex h-10 w-10 items-center justify-center rounded-full bg-stone-100 text-stone-500">
          {icon}
        </div>
      ) : null}
      <h2 className="text-sm font-semibold text-stone-900">{title}</h2>
      {description ? <p className="mt-1 max-w-md text-sm text-stone-500">{description}</p> : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}
