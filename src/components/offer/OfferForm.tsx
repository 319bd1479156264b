import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useForm, useWatch, type FieldErrors } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { offerSchema, totalRent, type Offer, type OfferInput } from '../../schemas/offer.ts';
import { stadtbezirke, stadtteile } from '../../data/cologne.ts';
import { ErrorMessage, FieldGroup, Fieldset, Hint, describedBy } from './fields.tsx';
import { OfferReview } from './OfferReview.tsx';
import { OfferConfirmation } from './OfferConfirmation.tsx';
import { makeT, type OfferStrings } from './strings.ts';

/**
 * The apartment offer form. One component, three ways to run:
 * - built into the static page (empty), then hydrated as an island: validates as you type,
 *   keeps a draft in this browser only, shows "check your answers", sends JSON;
 * - rendered by the server as the answer to a form post without JavaScript (`initial` set):
 *   the same markup with the values typed and the errors found, or the review step;
 * - the confirmation with the reference number.
 * Without JavaScript the buttons post `intent=review|submit|edit` to the handler.
 */

export type Mode = 'edit' | 'review' | 'done' | 'unavailable';
type Values = Record<string, string>;

export interface OfferFormProps {
  locale: 'de' | 'en';
  strings: OfferStrings;
  action: string;
  privacyHref: string;
  homeHref: string;
  coordinatorEmail: string;
  /** Where the confirmation lives (reload-safe); the island moves there after sending. */
  confirmationPath: string;
  /** Set when the server renders an answer to a form post. */
  initial?: { mode: Mode; values: Values; errors: Record<string, string>; reference?: string; focus?: string };
}

/** Field names in the order they appear: the error summary lists errors in this order. */
export const fieldOrder = [
  'landlordType',
  'name',
  'email',
  'phone',
  'contactNotes',
  'street',
  'houseNumber',
  'postalCode',
  'stadtteil',
  'rooms',
  'livingSpace',
  'floor',
  'lift',
  'stepFree',
  'availableFrom',
  'wbs',
  'furnished',
  'maxOccupants',
  'description',
  'coldRent',
  'serviceCharges',
  'heatingCosts',
  'heatingIncluded',
  'deposit',
  'privacyConsent',
] as const;

const draftKey = 'auszugsmanagement.offer-draft.v1';
const descriptionMax = 2000;
const checkboxes = new Set(['lift', 'stepFree', 'furnished', 'heatingIncluded', 'privacyConsent']);

/** react-hook-form keeps strings and booleans; the schema reads both, like the handler does. */
function toFormValues(values: Values): Record<string, string | boolean> {
  return Object.fromEntries(
    fieldOrder.map((name) => [
      name,
      checkboxes.has(name) ? ['true', 'on', 'yes'].includes(values[name] ?? '') : (values[name] ?? ''),
    ]),
  );
}

/** The first error of each field, in form order, as message keys. */
function errorKeys(errors: FieldErrors): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fieldOrder) {
    const message = errors[name]?.message;
    if (typeof message === 'string') out[name] = message;
  }
  return out;
}

export default function OfferForm(props: OfferFormProps) {
  const { locale, strings, action, privacyHref, initial } = props;
  const t = makeT(strings);
  const [mode, setMode] = useState<Mode>(initial?.mode ?? 'edit');
  const [reference, setReference] = useState(initial?.reference);
  const [sendError, setSendError] = useState<string>();
  const [sending, setSending] = useState(false);
  const [draft, setDraft] = useState<{ savedAt: number; values: Values }>();
  const [hydrated, setHydrated] = useState(false);
  const meta = useRef({
    submissionId: initial?.values.submissionId ?? '',
    formStartedAt: initial?.values.formStartedAt ?? '',
  });
  const summaryRef = useRef<HTMLDivElement>(null);
  const reviewRef = useRef<HTMLHeadingElement>(null);

  const form = useForm<OfferInput, unknown, Offer>({
    // The identity fields are not inputs the landlord sees; they join the values for validation.
    resolver: (values, context, options) =>
      zodResolver(offerSchema)(
        {
          ...values,
          submissionId: meta.current.submissionId,
          locale,
          formStartedAt: meta.current.formStartedAt,
        } as OfferInput,
        context,
        options,
      ),
    defaultValues: toFormValues(initial?.values ?? {}) as unknown as OfferInput,
    mode: 'onTouched',
    shouldFocusError: false,
  });
  const { register, handleSubmit, control, formState, getValues, reset, setError } = form;
  const watched = useWatch({ control }) as Record<string, unknown>;
  // Server-found errors (no JavaScript) until the island takes over validation.
  const errors = hydrated ? errorKeys(formState.errors) : (initial?.errors ?? {});
  const submitted = hydrated
    ? formState.submitCount > 0 || Object.keys(initial?.errors ?? {}).length > 0
    : Object.keys(errors).length > 0;

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
  }, [mode]);

  const focusSummary = () => requestAnimationFrame(() => summaryRef.current?.focus());

  const toReview = handleSubmit(
    () => {
      setSendError(undefined);
      setMode('review');
      window.scrollTo(0, 0);
    },
    () => focusSummary(),
  );

  async function send() {
    setSending(true);
    setSendError(undefined);
    const parsed = offerSchema.safeParse({
      ...getValues(),
      submissionId: meta.current.submissionId,
      locale,
      formStartedAt: meta.current.formStartedAt,
    });
    if (!parsed.success) {
      setSending(false);
      setMode('edit');
      await form.trigger();
      focusSummary();
      return;
    }
    try {
      const response = await fetch(action, {
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
        for (const [name, key] of Object.entries(body.errors as Record<string, string>))
          setError(name as keyof OfferInput, { message: key });
        focusSummary();
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

  if (mode === 'done' && reference) {
    return (
      <OfferConfirmation
        strings={strings}
        reference={reference}
        homeHref={props.homeHref}
        coordinatorEmail={props.coordinatorEmail}
      />
    );
  }

  const values = (hydrated ? getValues() : toFormValues(initial?.values ?? {})) as Record<string, unknown>;
  const hidden = (
    <>
      <input type="hidden" name="locale" value={locale} />
      {meta.current.submissionId && <input type="hidden" name="submissionId" value={meta.current.submissionId} />}
      {meta.current.formStartedAt && <input type="hidden" name="formStartedAt" value={meta.current.formStartedAt} />}
    </>
  );

  if (mode === 'review') {
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
        {fieldOrder.map((name) => {
          const v = values[name];
          if (v === '' || v === false || v === undefined) return null;
          return <input key={name} type="hidden" name={name} value={v === true ? 'true' : String(v)} />;
        })}
        <h2 ref={reviewRef} tabIndex={-1} className="text-2xl">
          {t('offer.review.title')}
        </h2>
        <p className="mt-2">{t('offer.review.intro')}</p>
        <OfferReview strings={strings} values={values} onChange={hydrated ? change : undefined} />
        {sendError && (
          <p role="alert" className="notice-error mt-6">
            {sendError}
          </p>
        )}
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

  const errorText = (name: string) => (errors[name] ? t(errors[name], { max: descriptionMax }) : undefined);
  const errorList = fieldOrder.filter((name) => errors[name]);
  const total = totalRent(watched as never);
  const bezirk = stadtteile.find((s) => s.name === (hydrated ? watched.stadtteil : values.stadtteil))?.bezirk;
  const descriptionLength = String((hydrated ? watched.description : values.description) ?? '').length;

  /** Props shared by every text-like input: name, id, ARIA, the typed value without JavaScript. */
  const input = (name: keyof OfferInput & string, hint?: string) => ({
    ...register(name),
    id: name,
    defaultValue: hydrated ? undefined : String(values[name] ?? ''),
    'aria-invalid': errors[name] ? (true as const) : undefined,
    'aria-describedby': describedBy(name, hint, errors[name]),
    autoFocus: initial?.focus === name || undefined,
  });
  const text = (
    name: keyof OfferInput & string,
    opts: {
      hint?: string;
      type?: string;
      autoComplete?: string;
      inputMode?: 'decimal' | 'numeric' | 'tel' | 'email';
      width?: string;
      maxLength?: number;
    } = {},
  ) => (
    <FieldGroup error={errors[name]} className="mt-6">
      <label htmlFor={name} className="block font-bold">
        {t(`offer.${name}.label`)}
      </label>
      <Hint name={name} text={opts.hint} />
      <ErrorMessage name={name} text={errorText(name)} prefix={t('offer.errorPrefix')} />
      <input
        {...input(name, opts.hint)}
        type={opts.type ?? 'text'}
        autoComplete={opts.autoComplete ?? 'off'}
        inputMode={opts.inputMode}
        maxLength={opts.maxLength}
        className={`input mt-2 ${opts.width ?? 'w-full'}`}
      />
    </FieldGroup>
  );
  const checkbox = (name: keyof OfferInput & string, extra?: ReactNode) => (
    <div className="checkbox mt-3">
      <input
        {...register(name)}
        id={name}
        type="checkbox"
        value="true"
        defaultChecked={hydrated ? undefined : values[name] === true}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `${name}-error` : undefined}
      />
      <label htmlFor={name}>
        {t(`offer.${name}.label`)}
        {extra}
      </label>
    </div>
  );
  const radios = (name: 'landlordType' | 'wbs', options: string[], hint?: string) => (
    <Fieldset
      legend={t(`offer.${name}.label`)}
      hint={hint}
      name={name}
      error={errorText(name)}
      errorPrefix={t('offer.errorPrefix')}
    >
      <div className="mt-2 space-y-2">
        {options.map((option, index) => (
          <div className="radio" key={option}>
            <input
              {...register(name)}
              id={index === 0 ? name : `${name}-${option}`}
              type="radio"
              value={option}
              defaultChecked={hydrated ? undefined : values[name] === option}
            />
            <label htmlFor={index === 0 ? name : `${name}-${option}`}>{t(`offer.${name}.${option}`)}</label>
          </div>
        ))}
      </div>
    </Fieldset>
  );

  return (
    <form method="post" action={action} noValidate onSubmit={toReview} className="offer-form">
      {hidden}
      {submitted && errorList.length > 0 && (
        <div
          ref={summaryRef}
          className="error-summary"
          role="alert"
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
            {errorList.map((name) => (
              <li key={name}>
                <a href={`#${name}`}>
                  {t(`offer.${name}.label`)}: {errorText(name)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}

      {draft && (
        <div className="notice mt-6" role="region" aria-labelledby="draft-title">
          <h2 id="draft-title" className="text-xl">
            {t('offer.draft.title')}
          </h2>
          <p className="mt-1">
            {t('offer.draft.text', {
              date: new Date(draft.savedAt).toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB', {
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
                reset(toFormValues(draft.values) as unknown as OfferInput);
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

      {/* Bots fill every field; people never see this one. */}
      <div className="honeypot" aria-hidden="true">
        <label htmlFor="website">{t('offer.honeypot.label')}</label>
        <input type="text" id="website" name="website" tabIndex={-1} autoComplete="off" defaultValue="" />
      </div>

      <section aria-labelledby="section-about" className="form-section">
        <h2 id="section-about" className="text-2xl">
          {t('offer.section.about')}
        </h2>
        <div className="mt-4">{radios('landlordType', ['private', 'company', 'housing_association'])}</div>
        {text('name', { hint: t('offer.name.hint'), autoComplete: 'name', maxLength: 120 })}
        {text('email', {
          hint: t('offer.email.hint'),
          type: 'email',
          autoComplete: 'email',
          inputMode: 'email',
          maxLength: 254,
        })}
        {text('phone', {
          hint: t('offer.phone.hint'),
          type: 'tel',
          autoComplete: 'tel',
          inputMode: 'tel',
          width: 'w-full sm:w-80',
          maxLength: 40,
        })}
        <FieldGroup error={errors.contactNotes} className="mt-6">
          <label htmlFor="contactNotes" className="block font-bold">
            {t('offer.contactNotes.label')}
          </label>
          <Hint name="contactNotes" text={t('offer.contactNotes.hint')} />
          <ErrorMessage name="contactNotes" text={errorText('contactNotes')} prefix={t('offer.errorPrefix')} />
          <textarea
            {...input('contactNotes', t('offer.contactNotes.hint'))}
            rows={2}
            maxLength={500}
            className="input mt-2 w-full"
          />
        </FieldGroup>
      </section>

      <section aria-labelledby="section-apartment" className="form-section">
        <h2 id="section-apartment" className="text-2xl">
          {t('offer.section.apartment')}
        </h2>
        <div className="grid gap-x-4 sm:grid-cols-[1fr_10rem]">
          {text('street', { autoComplete: 'address-line1', maxLength: 120 })}
          {text('houseNumber', { width: 'w-32', maxLength: 10 })}
        </div>
        {text('postalCode', {
          hint: t('offer.postalCode.hint'),
          autoComplete: 'postal-code',
          inputMode: 'numeric',
          width: 'w-32',
          maxLength: 5,
        })}
        <FieldGroup error={errors.stadtteil} className="mt-6">
          <label htmlFor="stadtteil" className="block font-bold">
            {t('offer.stadtteil.label')}
          </label>
          <Hint name="stadtteil" text={t('offer.stadtteil.hint')} />
          <ErrorMessage name="stadtteil" text={errorText('stadtteil')} prefix={t('offer.errorPrefix')} />
          <select {...input('stadtteil', t('offer.stadtteil.hint'))} className="input mt-2 w-full sm:w-96">
            <option value="">{t('offer.stadtteil.choose')}</option>
            {stadtbezirke.map((b) => (
              <optgroup key={b} label={b}>
                {stadtteile
                  .filter((s) => s.bezirk === b)
                  .map((s) => (
                    <option key={s.name} value={s.name}>
                      {s.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
          {bezirk && (
            <p className="mt-1" aria-live="polite">
              {t('offer.stadtteil.bezirk', { bezirk })}
            </p>
          )}
        </FieldGroup>
        <div className="grid gap-x-4 sm:grid-cols-3">
          {text('rooms', { hint: t('offer.rooms.hint'), inputMode: 'decimal', width: 'w-32' })}
          {text('livingSpace', { inputMode: 'decimal', width: 'w-32' })}
          <FieldGroup error={errors.floor} className="mt-6">
            <label htmlFor="floor" className="block font-bold">
              {t('offer.floor.label')}
            </label>
            <ErrorMessage name="floor" text={errorText('floor')} prefix={t('offer.errorPrefix')} />
            <select {...input('floor')} className="input mt-2 w-full">
              <option value="">{t('offer.stadtteil.choose')}</option>
              <option value="-1">{t('offer.floor.basement')}</option>
              <option value="0">{t('offer.floor.ground')}</option>
              {Array.from({ length: 30 }, (_, i) => i + 1).map((floor) => (
                <option key={floor} value={String(floor)}>
                  {t('offer.floor.upper', { floor })}
                </option>
              ))}
            </select>
          </FieldGroup>
        </div>
        <div className="mt-6">
          <Fieldset legend={t('offer.access.legend')}>
            {checkbox('lift')}
            {checkbox('stepFree')}
            {checkbox('furnished')}
          </Fieldset>
        </div>
        {text('availableFrom', { hint: t('offer.availableFrom.hint'), type: 'date', width: 'w-full sm:w-60' })}
        <div className="mt-6">{radios('wbs', ['yes', 'no', 'unknown'], t('offer.wbs.hint'))}</div>
        {text('maxOccupants', { inputMode: 'numeric', width: 'w-32' })}
        <FieldGroup error={errors.description} className="mt-6">
          <label htmlFor="description" className="block font-bold">
            {t('offer.description.label')}
          </label>
          <Hint name="description" text={t('offer.description.hint', { max: descriptionMax })} />
          <ErrorMessage name="description" text={errorText('description')} prefix={t('offer.errorPrefix')} />
          <textarea
            {...input('description', t('offer.description.hint', { max: descriptionMax }))}
            rows={5}
            maxLength={descriptionMax}
            className="input mt-2 w-full"
          />
          {hydrated && (
            <p className="text-muted mt-1" aria-live="polite">
              {t('offer.description.count', { count: descriptionMax - descriptionLength })}
            </p>
          )}
        </FieldGroup>
      </section>

      <section aria-labelledby="section-money" className="form-section">
        <h2 id="section-money" className="text-2xl">
          {t('offer.section.money')}
        </h2>
        {text('coldRent', { inputMode: 'decimal', width: 'w-40' })}
        {text('serviceCharges', { hint: t('offer.serviceCharges.hint'), inputMode: 'decimal', width: 'w-40' })}
        {text('heatingCosts', { inputMode: 'decimal', width: 'w-40' })}
        {checkbox('heatingIncluded')}
        <p className="total mt-6">
          <span className="font-bold">{t('offer.total.label')}: </span>
          <output htmlFor="coldRent serviceCharges heatingCosts" aria-live="polite">
            {total === undefined
              ? t('offer.total.empty')
              : new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
                  style: 'currency',
                  currency: 'EUR',
                }).format(total)}
          </output>
        </p>
        {text('deposit', { hint: t('offer.deposit.hint'), inputMode: 'decimal', width: 'w-40' })}
      </section>

      <section aria-labelledby="section-consent" className="form-section">
        <h2 id="section-consent" className="text-2xl">
          {t('offer.section.consent')}
        </h2>
        <FieldGroup error={errors.privacyConsent}>
          <ErrorMessage name="privacyConsent" text={errorText('privacyConsent')} prefix={t('offer.errorPrefix')} />
          {checkbox('privacyConsent')}
          <p className="mt-2 ps-11">
            <a href={privacyHref}>{t('offer.privacyConsent.link')}</a>
          </p>
        </FieldGroup>
      </section>

      <p className="text-muted mt-8">{t('offer.draft.note')}</p>
      <div className="mt-6">
        <button type="submit" name="intent" value="review" className="button text-lg">
          {t('offer.button.review')}
        </button>
      </div>
    </form>
  );
}
