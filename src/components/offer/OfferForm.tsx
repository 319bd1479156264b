import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { useForm, useWatch, type FieldErrors } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { createOfferSchema, errorParams, offerSchema, type Offer, type OfferInput } from '../../schemas/offer.ts';
import {
  fieldOrder,
  inputFields,
  offerFields,
  offerSections,
  totalRent,
  type OfferField,
} from '../../schemas/offer-fields.ts';
import { stadtteile } from '../../data/cologne.ts';
import { createTranslator, type Translator } from '../../i18n/translate.ts';
import { formatMoney, intlLocale } from '../../i18n/format.ts';
import { ErrorMessage, FieldGroup, Fieldset, Hint, describedBy } from './fields.tsx';
import { OfferReview } from './OfferReview.tsx';
import { OfferConfirmation } from './OfferConfirmation.tsx';
import type { Locale } from '../../i18n/routes.ts';

/**
 * The apartment offer form, drawn from the field list (src/schemas/offer-fields.ts). One
 * component, three ways to run:
 * - on the offer page, hydrated as an island: validates as you type, keeps a draft in this
 *   browser only, shows "check your answers", sends JSON;
 * - rendered by the server as the answer to a form post without JavaScript (`initial` set):
 *   the same markup with the values typed and the errors found, or the review step;
 * - the confirmation with the reference number.
 * Without JavaScript the buttons post `intent=review|submit|edit` to the offer page.
 */

export type Mode = 'edit' | 'review' | 'done';
type Values = Record<string, string>;

export interface OfferFormProps {
  locale: Locale;
  /** The `offer.*` strings of the page's language. */
  strings: Record<string, string>;
  /** Where the form posts without JavaScript (the offer page itself). */
  action: string;
  /** Where the island sends JSON. */
  apiPath: string;
  privacyHref: string;
  homeHref: string;
  coordinatorEmail: string;
  /** Where the confirmation lives (reload-safe); the island moves there after sending. */
  confirmationPath: string;
  /** Set when the server renders an answer to a form post. */
  initial?: {
    mode: Mode;
    values: Values;
    errors: Record<string, string>;
    reference?: string;
    focus?: string;
    notice?: string;
  };
  /** Only for tests that add a field to a copy of the field list. */
  fields?: readonly OfferField[];
}

const draftKey = 'auszugsmanagement.offer-draft.v1';
/** A counter is announced only when this few characters are left, not on every keystroke. */
const announceBelow = 100;

const isTick = (f: OfferField) => f.control.type === 'checkbox';

/** react-hook-form keeps strings and booleans; the schema reads both, like the handler does. */
function toFormValues(values: Values, fields: readonly OfferField[]): Record<string, string | boolean> {
  return Object.fromEntries(
    inputFields(fields).map((f) => [
      f.name,
      isTick(f) ? ['true', 'on', 'yes'].includes(values[f.name] ?? '') : (values[f.name] ?? ''),
    ]),
  );
}

/** The first error of each field, in form order, as message keys. */
function errorKeys(errors: FieldErrors, order: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of order) {
    const message = errors[name]?.message;
    if (typeof message === 'string') out[name] = message;
  }
  return out;
}

/** A value that changes only after the landlord paused typing: what a live region may announce. */
function useSettled<T>(value: T, delayMs = 1200): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const handle = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(handle);
  }, [value, delayMs]);
  return settled;
}

/**
 * Moves to a field from the error summary the GOV.UK way: the field gets focus, and its label
 * (or its question, for a group) is scrolled into view above it, not hidden above the screen.
 */
function focusField(event: MouseEvent<HTMLAnchorElement>, name: string) {
  const input = document.getElementById(name);
  if (!input) return;
  event.preventDefault();
  const legend = input.closest('fieldset')?.querySelector('legend');
  const label = document.querySelector<HTMLElement>(`label[for="${name}"]`);
  (legend ?? label ?? input).scrollIntoView({ block: 'start' });
  input.focus({ preventScroll: true });
}

export default function OfferForm(props: OfferFormProps) {
  const { locale, strings, action, privacyHref, initial, fields = offerFields } = props;
  const t: Translator = useMemo(() => createTranslator(strings, locale), [strings, locale]);
  const order = useMemo(() => fieldOrder(fields), [fields]);
  const schema = useMemo(() => (fields === offerFields ? offerSchema : createOfferSchema({ fields })), [fields]);
  const [mode, setMode] = useState<Mode>(initial?.mode ?? 'edit');
  const [reference, setReference] = useState(initial?.reference);
  const [sendError, setSendError] = useState<string | undefined>(initial?.notice);
  const [sending, setSending] = useState(false);
  const [draft, setDraft] = useState<{ savedAt: number; values: Values }>();
  const [hydrated, setHydrated] = useState(false);
  /** The errors as they were at the last attempt to go on: the summary does not change while typing. */
  const [summary, setSummary] = useState<string[]>(() => order.filter((name) => initial?.errors[name]));
  const meta = useRef({
    submissionId: initial?.values.submissionId ?? '',
    formStartedAt: initial?.values.formStartedAt ?? '',
  });
  const summaryRef = useRef<HTMLDivElement>(null);
  const reviewRef = useRef<HTMLHeadingElement>(null);
  const confirmationRef = useRef<HTMLHeadingElement>(null);

  const form = useForm<OfferInput, unknown, Offer>({
    // The identity fields are not inputs the landlord sees; they join the values for validation.
    resolver: (values, context, options) =>
      zodResolver(schema as typeof offerSchema)(
        {
          ...values,
          submissionId: meta.current.submissionId,
          locale,
          formStartedAt: meta.current.formStartedAt,
        } as OfferInput,
        context,
        options,
      ),
    defaultValues: toFormValues(initial?.values ?? {}, fields) as unknown as OfferInput,
    mode: 'onTouched',
    shouldFocusError: false,
  });
  const { register, handleSubmit, control, formState, getValues, reset, setError } = form;
  const watched = useWatch({ control }) as Record<string, unknown>;
  // Server-found errors (no JavaScript) until the island takes over validation.
  const errors = hydrated ? errorKeys(formState.errors, order) : (initial?.errors ?? {});

  // After hydration: identity of this submission and the draft from an earlier visit.
  useEffect(() => {
    setHydrated(true);
    if (!meta.current.submissionId) meta.current.submissionId = crypto.randomUUID();
    if (!meta.current.formStartedAt) meta.current.formStartedAt = String(Date.now());
    if (initial) {
      for (const [name, key] of Object.entries(initial.errors)) setError(name as keyof OfferInput, { message: key });
      return;
    }
    try {
      const saved = JSON.parse(localStorage.getItem(draftKey) ?? 'null');
      if (saved && typeof saved.savedAt === 'number' && saved.values) setDraft(saved);
    } catch {
      // A broken draft is no reason to break the form.
    }
    // Once, right after hydration: `initial` comes from the server and never changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Keep a draft in this browser while the landlord types; nothing leaves the device.
  useEffect(() => {
    if (!hydrated || draft || mode !== 'edit') return;
    const handle = setTimeout(() => {
      const values = Object.fromEntries(
        Object.entries(getValues() as Record<string, unknown>).map(([k, v]) => [k, String(v ?? '')]),
      );
      if (Object.entries(values).some(([k, v]) => v !== '' && v !== 'false' && k !== 'landlordType')) {
        localStorage.setItem(draftKey, JSON.stringify({ savedAt: Date.now(), values }));
      }
    }, 400);
    return () => clearTimeout(handle);
  }, [watched, hydrated, draft, mode, getValues]);

  useEffect(() => {
    if (mode === 'review') reviewRef.current?.focus();
    if (mode === 'done' && hydrated) {
      // The page is now the confirmation: say so to the tab title and to screen readers.
      document.title = `${t('offer.confirmation.title')} – ${document.title.split(' – ').pop()}`;
      confirmationRef.current?.focus();
    }
  }, [mode, hydrated, t]);

  const focusSummary = (names: string[]) => {
    setSummary(names);
    requestAnimationFrame(() => summaryRef.current?.focus());
  };

  const toReview = handleSubmit(
    () => {
      setSendError(undefined);
      setSummary([]);
      setMode('review');
      window.scrollTo(0, 0);
    },
    (found) => focusSummary(Object.keys(errorKeys(found, order))),
  );

  async function send() {
    setSending(true);
    setSendError(undefined);
    const parsed = schema.safeParse({
      ...getValues(),
      submissionId: meta.current.submissionId,
      locale,
      formStartedAt: meta.current.formStartedAt,
    });
    if (!parsed.success) {
      setSending(false);
      setMode('edit');
      await form.trigger();
      focusSummary(Object.keys(errorKeys(form.formState.errors, order)));
      return;
    }
    try {
      const response = await fetch(props.apiPath, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(parsed.data),
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok && typeof body.reference === 'string') {
        localStorage.removeItem(draftKey);
        setReference(body.reference);
        setMode('done');
        history.replaceState(null, '', `${props.confirmationPath}?ref=${encodeURIComponent(body.reference)}`);
        window.scrollTo(0, 0);
      } else if (response.status === 422 && body.errors) {
        setMode('edit');
        for (const [name, key] of Object.entries(body.errors as Record<string, string>)) {
          setError(name as keyof OfferInput, { message: key });
        }
        focusSummary(order.filter((name) => body.errors[name]));
      } else if (response.status === 409 && typeof body.reference === 'string') {
        setSendError(t('offer.send.conflict', { reference: body.reference }));
      } else if (response.status === 429) {
        const minutes = Math.max(1, Math.ceil(Number(response.headers.get('Retry-After') ?? 60) / 60));
        setSendError(t('offer.send.rateLimited', { minutes }));
      } else {
        setSendError(t('offer.send.failed'));
      }
    } catch {
      setSendError(navigator.onLine === false ? t('offer.send.offline') : t('offer.send.failed'));
    } finally {
      setSending(false);
    }
  }

  function change(field?: string) {
    setMode('edit');
    requestAnimationFrame(() => {
      if (field) document.getElementById(field)?.focus();
    });
  }

  const values = (hydrated ? getValues() : toFormValues(initial?.values ?? {}, fields)) as Record<string, unknown>;
  const current = (name: string) => (hydrated ? watched[name] : values[name]);
  const total = totalRent({
    coldRent: current('coldRent'),
    serviceCharges: current('serviceCharges'),
    heatingCosts: current('heatingCosts'),
    heatingIncluded: current('heatingIncluded'),
  });
  const totalText = total === undefined ? t('offer.totalRent.empty') : formatMoney(total, locale);
  const settledTotal = useSettled(totalText);
  const bezirk = stadtteile.find((s) => s.name === current('stadtteil'))?.bezirk;

  if (mode === 'done' && reference) {
    return (
      <OfferConfirmation
        t={t}
        reference={reference}
        homeHref={props.homeHref}
        coordinatorEmail={props.coordinatorEmail}
        headingRef={confirmationRef}
      />
    );
  }

  const hidden = (
    <>
      <input type="hidden" name="locale" value={locale} />
      {meta.current.submissionId && <input type="hidden" name="submissionId" value={meta.current.submissionId} />}
      {meta.current.formStartedAt && <input type="hidden" name="formStartedAt" value={meta.current.formStartedAt} />}
    </>
  );
  const notice = sendError && (
    <p role="alert" className="notice-error mt-6">
      {sendError}
    </p>
  );

  if (mode === 'review') {
    const parsed = schema.safeParse({ ...values, submissionId: meta.current.submissionId || undefined, locale });
    const offer = (parsed.success ? parsed.data : values) as Record<string, unknown>;
    return (
      <form
        method="post"
        action={action}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        {hidden}
        {order.map((name) => {
          const v = values[name];
          if (v === '' || v === false || v === undefined) return null;
          return <input key={name} type="hidden" name={name} value={v === true ? 'true' : String(v)} />;
        })}
        <h2 ref={reviewRef} tabIndex={-1} className="text-2xl">
          {t('offer.review.title')}
        </h2>
        <p className="mt-2">{t('offer.review.intro')}</p>
        <OfferReview t={t} locale={locale} offer={offer} fields={fields} onChange={hydrated ? change : undefined} />
        {notice}
        <div className="mt-8 flex flex-wrap gap-4">
          <button
            type="submit"
            name="intent"
            value="submit"
            className="button text-lg"
            disabled={sending}
            aria-disabled={sending}
          >
            {sending ? t('offer.button.sending') : t('offer.button.submit')}
          </button>
          <button
            type={hydrated ? 'button' : 'submit'}
            name="intent"
            value="edit"
            className="button button-secondary"
            onClick={hydrated ? () => change() : undefined}
          >
            {t('offer.button.edit')}
          </button>
        </div>
      </form>
    );
  }

  const errorText = (f: OfferField) => (errors[f.name] ? t(errors[f.name]!, errorParams(f, values)) : undefined);
  const hintText = (f: OfferField) => (f.hint ? t(`offer.${f.name}.hint`, { max: f.max ?? '' }) : undefined);

  /** Props shared by every text-like control: name, id, ARIA, the typed value without JavaScript. */
  const controlProps = (f: OfferField) => ({
    ...register(f.name as keyof OfferInput, { deps: f.revalidates as (keyof OfferInput)[] | undefined }),
    id: f.name,
    defaultValue: hydrated ? undefined : String(values[f.name] ?? ''),
    'aria-invalid': errors[f.name] ? (true as const) : undefined,
    'aria-describedby': describedBy(f.name, hintText(f), errors[f.name]),
    // Native `required` as well: Chromium exposes aria-required only on text boxes, not on
    // selects, date fields or tick boxes (tests/browser/form-announcements.test.ts). The form is
    // `noValidate`, so the browser's own error bubbles never appear; our messages do.
    'aria-required': f.required ? (true as const) : undefined,
    required: f.required || undefined,
    autoFocus: initial?.focus === f.name || undefined,
  });
  const widths = { xs: 'w-32', s: 'w-40', m: 'w-full sm:w-80', l: 'w-full sm:w-96', full: 'w-full' };

  function field(f: OfferField) {
    const c = f.control;
    switch (c.type) {
      case 'text':
        return (
          <input
            {...controlProps(f)}
            type={c.inputType ?? 'text'}
            autoComplete={f.autoComplete ?? 'off'}
            inputMode={f.inputMode}
            maxLength={c.maxLength}
            className={`input mt-2 ${widths[f.width ?? 'full']}`}
          />
        );
      case 'textarea':
        return <textarea {...controlProps(f)} rows={c.rows} maxLength={c.maxLength} className="input mt-2 w-full" />;
      case 'select': {
        const options = c.options();
        const groups = [...new Set(options.map((o) => o.group))];
        const option = (o: (typeof options)[number]) => (
          <option key={o.value} value={o.value}>
            {o.label(t, locale)}
          </option>
        );
        return (
          <select {...controlProps(f)} className={`input mt-2 ${widths[f.width ?? 'full']}`}>
            <option value="">{t('offer.choose')}</option>
            {groups[0] === undefined
              ? options.map(option)
              : groups.map((g) => (
                  <optgroup key={g} label={g}>
                    {options.filter((o) => o.group === g).map(option)}
                  </optgroup>
                ))}
          </select>
        );
      }
      default:
        return null;
    }
  }

  /** A question with a label above its control: text boxes, text areas, selects. */
  function question(f: OfferField) {
    const length = String(current(f.name) ?? '').length;
    const left = f.control.type === 'textarea' && f.control.counter ? (f.max ?? 0) - length : undefined;
    return (
      <FieldGroup key={f.name} error={errors[f.name]} className="mt-6">
        <label htmlFor={f.name} className="block font-bold">
          {t(`offer.${f.name}.label`)}
        </label>
        <Hint name={f.name} text={hintText(f)} />
        <ErrorMessage name={f.name} text={errorText(f)} prefix={t('offer.errorPrefix')} />
        {field(f)}
        {f.name === 'stadtteil' && bezirk && (
          // Changes only when a Stadtteil is chosen, so it may be announced at once.
          <p className="mt-1" aria-live="polite">
            {t('offer.stadtteil.bezirk', { bezirk })}
          </p>
        )}
        {hydrated && left !== undefined && (
          <p className="text-muted mt-1" aria-live={left < announceBelow ? 'polite' : 'off'}>
            {t('offer.description.count', { count: left })}
          </p>
        )}
      </FieldGroup>
    );
  }

  function tick(f: OfferField) {
    return (
      <div className="checkbox mt-3" key={f.name}>
        <input
          {...register(f.name as keyof OfferInput, { deps: f.revalidates as (keyof OfferInput)[] | undefined })}
          id={f.name}
          type="checkbox"
          value="true"
          defaultChecked={hydrated ? undefined : values[f.name] === true}
          aria-invalid={errors[f.name] ? true : undefined}
          aria-describedby={errors[f.name] ? `${f.name}-error` : undefined}
          aria-required={f.required ? true : undefined}
          required={f.required || undefined}
        />
        <label htmlFor={f.name}>{t(`offer.${f.name}.label`)}</label>
      </div>
    );
  }

  function radios(f: OfferField) {
    if (f.control.type !== 'radios') return null;
    const options = f.control.options();
    return (
      <div className="mt-6" key={f.name}>
        <Fieldset
          legend={t(`offer.${f.name}.label`)}
          hint={hintText(f)}
          name={f.name}
          error={errorText(f)}
          errorPrefix={t('offer.errorPrefix')}
          required={f.required}
          radioGroup
        >
          <div className="mt-2 space-y-2">
            {options.map((o, index) => (
              <div className="radio" key={o.value}>
                <input
                  {...register(f.name as keyof OfferInput)}
                  id={index === 0 ? f.name : `${f.name}-${o.value}`}
                  type="radio"
                  value={o.value}
                  defaultChecked={hydrated ? undefined : values[f.name] === o.value}
                />
                <label htmlFor={index === 0 ? f.name : `${f.name}-${o.value}`}>{o.label(t, locale)}</label>
              </div>
            ))}
          </div>
        </Fieldset>
      </div>
    );
  }

  /** The fields of one section, in order: rows side by side, ticks grouped in fieldsets. */
  function section(name: (typeof offerSections)[number]) {
    const list = fields.filter((f) => f.section === name);
    const out: React.ReactNode[] = [];
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      if (f.control.type === 'radios') out.push(radios(f));
      else if (f.control.type === 'total') {
        out.push(
          <p className="total mt-6" key={f.name}>
            <span className="font-bold">{t('offer.totalRent.label')}: </span>
            {/* Not a live region itself (an <output> would speak on every keystroke). */}
            <output htmlFor="coldRent serviceCharges heatingCosts" aria-live="off">
              {totalText}
            </output>
            {/* Announced once the landlord pauses, not on every keystroke. */}
            <span className="sr-only" aria-live="polite">
              {hydrated && settledTotal === totalText && total !== undefined
                ? `${t('offer.totalRent.label')}: ${settledTotal}`
                : ''}
            </span>
          </p>,
        );
      } else if (f.name === 'privacyConsent') {
        out.push(
          <FieldGroup key={f.name} error={errors[f.name]}>
            <ErrorMessage name={f.name} text={errorText(f)} prefix={t('offer.errorPrefix')} />
            {tick(f)}
            <p className="mt-2 ps-11">
              <a href={privacyHref}>{t('offer.privacyConsent.link')}</a>
            </p>
          </FieldGroup>,
        );
      } else if (isTick(f) && f.group) {
        // Neighbouring tick boxes of one group share a fieldset and its legend.
        let end = i;
        while (end < list.length && list[end]!.group === f.group) end++;
        out.push(
          <div className="mt-6" key={`group-${f.group}`}>
            <Fieldset legend={t(`offer.group.${f.group}`)}>{list.slice(i, end).map(tick)}</Fieldset>
          </div>,
        );
        i = end - 1;
      } else if (isTick(f)) {
        out.push(
          <div className="mt-6" key={f.name}>
            {tick(f)}
          </div>,
        );
      } else if (f.row) {
        let end = i;
        while (end < list.length && list[end]!.row === f.row) end++;
        const row = list.slice(i, end);
        const columns = row.length === 2 ? 'sm:grid-cols-[1fr_10rem]' : 'sm:grid-cols-3';
        out.push(
          <div className={`grid gap-x-4 ${columns}`} key={`row-${f.row}`}>
            {row.map(question)}
          </div>,
        );
        i = end - 1;
      } else out.push(question(f));
    }
    return out;
  }

  const submitted = summary.length > 0;
  return (
    <form method="post" action={action} noValidate onSubmit={toReview} className="offer-form">
      {hidden}
      {submitted && (
        <div
          ref={summaryRef}
          className="error-summary"
          tabIndex={-1}
          aria-labelledby="error-summary-title"
          // Without JavaScript the server's answer opens with the summary focused (GOV.UK).
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus={!hydrated || undefined}
        >
          <h2 id="error-summary-title" className="text-xl">
            {t('offer.errorSummary.title')}
          </h2>
          <ul className="mt-3 space-y-1">
            {summary.map((name) => {
              const f = fields.find((x) => x.name === name);
              const key = initial?.errors[name] ?? errors[name];
              if (!f || !key) return null;
              return (
                <li key={name}>
                  <a href={`#${name}`} onClick={(e) => focusField(e, name)}>
                    {t(`offer.${name}.label`)}: {t(key, errorParams(f, values))}
                  </a>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {notice}

      {draft && (
        <div className="notice mt-6" role="region" aria-labelledby="draft-title">
          <h2 id="draft-title" className="text-xl">
            {t('offer.draft.title')}
          </h2>
          <p className="mt-1">
            {t('offer.draft.text', {
              date: new Date(draft.savedAt).toLocaleString(intlLocale(locale), {
                dateStyle: 'long',
                timeStyle: 'short',
              }),
            })}
          </p>
          <div className="mt-3 flex flex-wrap gap-3">
            <button
              type="button"
              className="button"
              onClick={() => {
                reset(toFormValues(draft.values, fields) as unknown as OfferInput);
                setDraft(undefined);
              }}
            >
              {t('offer.draft.restore')}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                localStorage.removeItem(draftKey);
                setDraft(undefined);
              }}
            >
              {t('offer.draft.discard')}
            </button>
          </div>
        </div>
      )}

      <p className="mt-6">{t('offer.form.intro')}</p>

      {/* Bots fill every field; people never see this one. */}
      <div className="honeypot" aria-hidden="true">
        <label htmlFor="website">{t('offer.honeypot.label')}</label>
        <input type="text" id="website" name="website" tabIndex={-1} autoComplete="off" defaultValue="" />
      </div>

      {offerSections.map((name) => (
        <section key={name} aria-labelledby={`section-${name}`} className="form-section">
          <h2 id={`section-${name}`} className="text-2xl">
            {t(`offer.section.${name}`)}
          </h2>
          {section(name)}
        </section>
      ))}

      <p className="text-muted mt-8">{t('offer.draft.note')}</p>
      <div className="mt-6">
        <button type="submit" name="intent" value="review" className="button text-lg">
          {t('offer.button.review')}
        </button>
      </div>
    </form>
  );
}
