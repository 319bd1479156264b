import type { AstroGlobal } from 'astro';
import { useTranslations, type Locale } from '../i18n/index.ts';
import { summarize, type SummaryRow } from './offer-summary.ts';
import { repeatedToSender } from '../schemas/offer-fields.ts';
import { portalOf } from './portal.ts';
import { BodyTooLarge, readBody } from '../../functions/http/body.ts';
import { aftercareCommentMax, parseActor, type ActInput } from '../../functions/lifecycle/lifecycle.ts';
import type { LinkActionName, Stage } from '../../functions/lifecycle/model.ts';
import type { StoredOffer } from '../../functions/storage/types.ts';

/**
 * The page a signed link in a mail opens (/aktion/?t=…, /en/action/?t=…). A GET only shows: the
 * offer's reference, its structured facts (nothing personal) and one button, because mail
 * scanners open every link. The POST takes the step, once, and answers with a redirect to the
 * same address (so a reload sends nothing twice), which then shows that it is done.
 *
 * Every failure is a page with a 4xx status and the coordination office's contact: a link that
 * was cut or changed (400, 403), that expired (410), or whose offer is gone (404). Never a 5xx
 * for anything a visitor can send.
 */
export type LinkProblem = 'malformed' | 'tampered' | 'expired' | 'unknown' | 'forbidden';

export interface ActionView {
  action: LinkActionName;
  /** The role the link acts for. */
  role: 'landlord' | 'coordinator' | 'carrier';
  reference: string;
  facts: SummaryRow[];
  stage: Stage;
  /** The carrier now responsible, by name. */
  carrierName?: string;
}

export type ActionPageState =
  | { kind: 'problem'; problem: LinkProblem }
  | {
      kind: 'ask';
      view: ActionView;
      /** For the coordination office: the carriers to choose from (take on, placed). */
      carriers: Array<{ id: string; name: string }>;
      values: { carrier?: string; reason?: string; rating?: string; comment?: string };
      errors: Partial<Record<'carrier' | 'reason' | 'rating' | 'comment', string>>;
    }
  /** fresh: just now (after the POST); otherwise it had been done before. */
  | { kind: 'done'; view: ActionView; fresh: boolean }
  | { kind: 'not_possible'; view: ActionView };

const statusOf: Record<LinkProblem, number> = {
  malformed: 400,
  tampered: 403,
  forbidden: 403,
  expired: 410,
  unknown: 404,
};

/** Form posts larger than this are not read (the longest field, the comment, fits many times). */
const maxBodyBytes = 16 * 1024;

/** The facts the action page shows about the offer (field names of src/schemas/offer-fields.ts). */
const recognisedBy: ReadonlySet<string> = new Set([
  'postalCode',
  'stadtteil',
  'rooms',
  'livingSpace',
  'floor',
  'availableFrom',
  'totalRent',
]);

function view(
  offer: StoredOffer,
  action: LinkActionName,
  role: ActionView['role'],
  locale: Locale,
  names: Map<string, string>,
) {
  const t = useTranslations(locale);
  // Enough to recognise the apartment, and the button still near the top on a phone: the full
  // offer is in the staff mail, and the landlord knows their own flat.
  const facts = offer.payload
    ? summarize(offer.payload, { locale, t, include: repeatedToSender })
        .flatMap((s) => s.rows)
        .filter((row) => recognisedBy.has(row.name))
    : [];
  const carrierId = offer.takenOnBy ?? offer.carrierId;
  return {
    action,
    role,
    reference: offer.reference,
    facts,
    stage: offer.stage,
    carrierName: carrierId ? names.get(carrierId) : undefined,
  } satisfies ActionView;
}

export async function actionPageState(Astro: AstroGlobal, locale: Locale): Promise<ActionPageState | Response> {
  const portal = portalOf(Astro.locals);
  const { lifecycle, links } = portal;
  const problem = (p: LinkProblem): ActionPageState => {
    Astro.response.status = statusOf[p];
    return { kind: 'problem', problem: p };
  };
  const token = Astro.url.searchParams.get('t') ?? '';
  const check = links.verify(token, new Date());
  if (!check.ok) return problem(check.reason);
  const claims = check.claims;
  const names = new Map(lifecycle.carriers.map((c) => [c.id, c.name]));
  const carriers = lifecycle.carriers.map((c) => ({ id: c.id, name: c.name }));
  const role = parseActor(claims.actor)?.role as ActionView['role'];

  if (Astro.request.method === 'POST') {
    let input: ActInput = {};
    let tooLarge = false;
    try {
      const form = new URLSearchParams(await readBody(Astro.request, maxBodyBytes));
      input = {
        carrier: form.get('carrier') ?? undefined,
        reason: form.get('reason') ?? undefined,
        rating: form.get('rating') ?? undefined,
        comment: form.get('comment') ?? undefined,
      };
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      tooLarge = true;
    }
    const outcome = tooLarge ? ({ kind: 'invalid', field: 'comment' } as const) : await lifecycle.act(claims, input);
    switch (outcome.kind) {
      case 'forbidden':
      case 'unknown':
        return problem(outcome.kind);
      case 'done': {
        // Post/redirect/get: the address shows the result, a reload asks nothing again.
        const target = new URL(Astro.url);
        target.searchParams.set('done', '1');
        return Astro.redirect(`${target.pathname}${target.search}`, 303);
      }
      case 'already':
        return { kind: 'done', view: view(outcome.offer, claims.action, role, locale, names), fresh: false };
      case 'not_possible':
        Astro.response.status = 409;
        return { kind: 'not_possible', view: view(outcome.offer, claims.action, role, locale, names) };
      case 'invalid': {
        const found = await lifecycle.preview(claims);
        if (found.kind !== 'ok') return problem(found.kind);
        Astro.response.status = tooLarge ? 413 : 422;
        const t = useTranslations(locale);
        const key =
          outcome.field === 'comment'
            ? t('action.error.comment', { max: aftercareCommentMax })
            : t(`action.error.${outcome.field}`);
        return {
          kind: 'ask',
          view: view(found.offer, claims.action, role, locale, names),
          carriers,
          values: { ...input, rating: input.rating === undefined ? undefined : String(input.rating) },
          errors: { [outcome.field]: key },
        };
      }
    }
  }

  const found = await lifecycle.preview(claims);
  if (found.kind !== 'ok') return problem(found.kind);
  const shown = view(found.offer, claims.action, found.actor.role as ActionView['role'], locale, names);
  if (found.done) return { kind: 'done', view: shown, fresh: Astro.url.searchParams.get('done') === '1' };
  if (!found.possible) {
    Astro.response.status = 409;
    return { kind: 'not_possible', view: shown };
  }
  const preset = found.offer.takenOnBy ?? found.offer.carrierId ?? undefined;
  return { kind: 'ask', view: shown, carriers, values: { carrier: preset }, errors: {} };
}
