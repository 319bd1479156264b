import { rentCheckHint, rentCheckParams, type RentCheck } from '../../lib/rent-check.ts';
import type { Translator } from '../../i18n/translate.ts';
import type { Locale } from '../../i18n/routes.ts';

/**
 * The rent check in words, beside the rent fields and on the review: a hint, not an error. It
 * neither stops the form nor promises anything; it names the limits' date and source.
 */
export function RentCheckHint({ check, t, locale }: { check: RentCheck; t: Translator; locale: Locale }) {
  const hint = rentCheckHint(check, t, locale);
  const params = rentCheckParams(check, t, locale);
  return (
    <div className="notice mt-4" data-testid="rent-check">
      <p className="font-bold">{hint.title}</p>
      <p className="mt-1">{hint.verdict}</p>
      {hint.heating && <p className="mt-1">{hint.heating}</p>}
      <p className="mt-1">{hint.note}</p>
      <p className="text-muted mt-1">{locale === 'de' ? hint.source : <SourceMarkedGerman t={t} params={params} />}</p>
    </div>
  );
}

/** The source line of an English page: the city names its sources in German, marked as such. */
function SourceMarkedGerman({ t, params }: { t: Translator; params: ReturnType<typeof rentCheckParams> }) {
  // One text on either side of the source: the sentence stays whole in the server's HTML.
  const [before, after] = t('offer.rentCheck.source', { ...params, source: '\u0000' }).split('\u0000');
  return (
    <>
      {before}
      <span lang="de">{params.source}</span>
      {after}
    </>
  );
}
