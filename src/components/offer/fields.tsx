import type { ReactNode } from 'react';

/**
 * Form controls the GOV.UK way: a visible label, a hint, the error above the input, and the
 * input tied to both with aria-describedby. Used by the island in the browser and by the server
 * when it answers a form post without JavaScript, so both render the very same markup.
 */

/** ids used by labels, hints, errors and the error summary's links. */
export const ids = {
  input: (name: string) => name,
  hint: (name: string) => `${name}-hint`,
  error: (name: string) => `${name}-error`,
};

export function describedBy(name: string, hint?: string, error?: string): string | undefined {
  const parts = [hint ? ids.hint(name) : '', error ? ids.error(name) : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}

export function Hint({ name, text }: { name: string; text?: string }) {
  return text ? (
    <p id={ids.hint(name)} className="text-muted mt-1">
      {text}
    </p>
  ) : null;
}

export function ErrorMessage({ name, text, prefix }: { name: string; text?: string; prefix: string }) {
  return text ? (
    <p id={ids.error(name)} className="field-error mt-1 font-bold">
      <span className="sr-only">{prefix}</span>
      {text}
    </p>
  ) : null;
}

/** Wrapper with the red bar GOV.UK draws beside a field in error. */
export function FieldGroup({
  error,
  children,
  className = '',
}: {
  error?: string;
  children: ReactNode;
  className?: string;
}) {
  return <div className={`field-group ${error ? 'field-group-error' : ''} ${className}`}>{children}</div>;
}

export function Fieldset({
  legend,
  hint,
  name,
  error,
  errorPrefix,
  required,
  radioGroup,
  children,
}: {
  legend: string;
  hint?: string;
  name?: string;
  error?: string;
  errorPrefix?: string;
  required?: boolean;
  /** The fieldset holds one question's radio buttons: announced as a required radio group. */
  radioGroup?: boolean;
  children: ReactNode;
}) {
  return (
    <FieldGroup error={error}>
      <fieldset
        aria-describedby={name ? describedBy(name, hint, error) : undefined}
        id={name ? `${name}-fieldset` : undefined}
        role={radioGroup ? 'radiogroup' : undefined}
        aria-required={radioGroup && required ? true : undefined}
        aria-invalid={radioGroup && error ? true : undefined}
      >
        <legend className="font-bold">{legend}</legend>
        {name && <Hint name={name} text={hint} />}
        {name && <ErrorMessage name={name} text={error} prefix={errorPrefix ?? ''} />}
        {children}
      </fieldset>
    </FieldGroup>
  );
}
