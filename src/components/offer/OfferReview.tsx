import { makeT, type OfferStrings } from './strings.ts';

/**
 * "Check your answers": a summary list of everything the landlord entered, each row with a way
 * back to its field. With JavaScript the change buttons jump to the field; without, the whole
 * form comes back (intent=edit:<field>) with that field focused.
 */
export function OfferReview({
  strings,
  values,
  onChange,
}: {
  strings: OfferStrings;
  values: Record<string, unknown>;
  onChange?: (field: string) => void;
}) {
  const t = makeT(strings);
  const yesNo = (v: unknown) => (v === true || v === 'true' ? t('offer.review.yes') : t('offer.review.no'));
  const money = (v: unknown) => (v === '' || v === undefined ? t('offer.review.none') : `${String(v)} €`);
  const floorText = (v: unknown) =>
    v === '-1'
      ? t('offer.floor.basement')
      : v === '0'
        ? t('offer.floor.ground')
        : t('offer.floor.upper', { floor: String(v) });
  const date = (v: unknown) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(v ?? ''));
    return m ? `${m[3]}.${m[2]}.${m[1]}` : String(v ?? '');
  };
  const rows: Array<[string, string]> = [
    ['landlordType', t(`offer.landlordType.${String(values.landlordType)}`)],
    ['name', String(values.name ?? '')],
    ['email', String(values.email ?? '')],
    ['phone', String(values.phone || t('offer.review.none'))],
    ['contactNotes', String(values.contactNotes || t('offer.review.none'))],
    ['street', `${String(values.street ?? '')} ${String(values.houseNumber ?? '')}`],
    ['postalCode', String(values.postalCode ?? '')],
    ['stadtteil', String(values.stadtteil ?? '')],
    ['rooms', String(values.rooms ?? '')],
    ['livingSpace', `${String(values.livingSpace ?? '')} m²`],
    ['floor', floorText(values.floor)],
    ['lift', yesNo(values.lift)],
    ['stepFree', yesNo(values.stepFree)],
    ['furnished', yesNo(values.furnished)],
    ['availableFrom', date(values.availableFrom)],
    ['wbs', t(`offer.wbs.${String(values.wbs)}`)],
    ['maxOccupants', String(values.maxOccupants ?? '')],
    ['description', String(values.description || t('offer.review.none'))],
    ['coldRent', money(values.coldRent)],
    ['serviceCharges', money(values.serviceCharges)],
    [
      'heatingCosts',
      values.heatingIncluded === true || values.heatingIncluded === 'true'
        ? t('offer.review.heatingIncluded')
        : money(values.heatingCosts),
    ],
    ['deposit', money(values.deposit)],
  ];
  return (
    <dl className="summary-list mt-6">
      {rows.map(([name, value]) => (
        <div key={name} className="summary-row">
          <dt className="font-bold">
            {name === 'street'
              ? `${t('offer.street.label')}, ${t('offer.houseNumber.label')}`
              : t(`offer.${name}.label`)}
          </dt>
          <dd className="whitespace-pre-line [overflow-wrap:anywhere]">{value}</dd>
          <dd>
            {onChange ? (
              <button type="button" className="link-button" onClick={() => onChange(name)}>
                {t('offer.button.change')}
                <span className="sr-only">: {t(`offer.${name}.label`)}</span>
              </button>
            ) : (
              <button type="submit" name="intent" value={`edit:${name}`} className="link-button">
                {t('offer.button.change')}
                <span className="sr-only">: {t(`offer.${name}.label`)}</span>
              </button>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
