import type { Translator } from '../../i18n/translate.ts';

/**
 * The confirmation panel with the reference number and what happens next (GOV.UK pattern). The
 * heading takes focus when the island shows it after sending, so a screen reader announces it.
 */
export function OfferConfirmation({
  t,
  reference,
  homeHref,
  coordinatorEmail,
  headingRef,
}: {
  t: Translator;
  reference: string;
  homeHref: string;
  coordinatorEmail: string;
  headingRef?: React.Ref<HTMLHeadingElement>;
}) {
  return (
    <div>
      <div className="confirmation-panel">
        <h2 className="text-3xl" tabIndex={-1} id="confirmation-title" ref={headingRef}>
          {t('offer.confirmation.title')}
        </h2>
        <p className="mt-4 text-xl">{t('offer.confirmation.reference')}</p>
        <p className="reference mt-1" data-testid="reference">
          {reference}
        </p>
      </div>
      <p className="mt-4">{t('offer.confirmation.referenceHint')}</p>
      <h2 className="mt-10 text-2xl">{t('offer.confirmation.next')}</h2>
      <ol className="mt-4 list-decimal space-y-2 ps-6">
        <li>{t('offer.confirmation.step1')}</li>
        <li>{t('offer.confirmation.step2')}</li>
        <li>{t('offer.confirmation.step3')}</li>
      </ol>
      <p className="mt-6">
        {t('offer.confirmation.withdraw')}{' '}
        <a href={`mailto:${coordinatorEmail}?subject=${encodeURIComponent(reference)}`}>{coordinatorEmail}</a>
      </p>
      <p className="mt-8">
        <a className="button" href={homeHref}>
          {t('offer.confirmation.home')}
        </a>
      </p>
    </div>
  );
}
