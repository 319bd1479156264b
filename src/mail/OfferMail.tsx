import { A, Box, Fill, Footer, H1, Layout, NoWrap, OfferTables, P } from './components.tsx';
import { formatTimestamp, oneLine, offerGroups } from './format.ts';
import { staff } from './strings.ts';
import type { OfferMailInput } from './types.ts';

/**
 * The mail about a new offer to the coordination office ('coordinator') and to the responsible
 * carrier ('carrier'). German only: it is read by staff. Reply-To is the landlord.
 */
export default function OfferMail(props: OfferMailInput & { subject: string }) {
  const { reference, receivedAt, offer, stadtbezirk, carrierName, routingReason, recipient, subject } = props;
  const received = formatTimestamp(receivedAt, 'de');
  const bezirk = stadtbezirk ? oneLine(stadtbezirk) : undefined;
  const carrier = carrierName ? oneLine(carrierName) : undefined;
  const email = oneLine(offer.email);

  return (
    <Layout
      lang="de"
      title={subject}
      preheader={
        received ? staff.intro.replace('{date}', received.date).replace('{time}', received.time) : staff.introNoTime
      }
    >
      <H1>
        <Fill template={staff.title} params={{ reference: <NoWrap>{oneLine(reference)}</NoWrap> }} />
      </H1>
      <P>{received ? <Fill template={staff.intro} params={received} /> : staff.introNoTime}</P>

      {recipient === 'carrier' ? (
        <P>{bezirk ? <Fill template={staff.carrier} params={{ stadtbezirk: bezirk }} /> : staff.carrierNoBezirk}</P>
      ) : carrier ? (
        <P>
          <Fill
            template={bezirk ? staff.coordinatorCarrierBezirk : staff.coordinatorCarrier}
            params={{ carrier, stadtbezirk: bezirk ?? '' }}
          />
        </P>
      ) : (
        <Box tone="warn">
          <strong>{staff.coordinatorNoCarrier}</strong>
        </Box>
      )}

      {offer.locale === 'en' ? <P>{staff.englishForm}</P> : null}

      <Box title={staff.whyTitle}>{routingReason}</Box>

      <P>
        <strong>{staff.replyLabel}:</strong>{' '}
        <Fill
          template={staff.reply}
          params={{ name: oneLine(offer.name), email: <A href={`mailto:${email}`}>{email}</A> }}
        />
      </P>

      <OfferTables groups={offerGroups(offer, { locale: 'de', stadtbezirk, process: { reference, receivedAt } })} />

      <P spaced>
        <strong>{staff.attachmentLabel}:</strong> {staff.attachment}
      </P>
      <Footer>{staff.footer}</Footer>
    </Layout>
  );
}
