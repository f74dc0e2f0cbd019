import type { ReactNode } from 'react';

/**
 * A code or identifier shown inside text (project code `GDI-PO-7`, indicator code, IATI identifier,
 * e-mail): always read left to right, isolated from the text around it (so an Arabic sentence neither
 * reorders it nor moves its punctuation), and never broken at a hyphen.
 */
export function CodeText({ children }: { children: ReactNode }) {
  return (
    <bdi dir="ltr" className="code-text">
      {children}
    </bdi>
  );
}
