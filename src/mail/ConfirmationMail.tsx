import type { CSSProperties } from 'react';
import { A, colors, Fill, fontStack, Footer, H1, H2, Layout, OfferTables, P, Reference } from './components.tsx';
import { formatTimestamp, oneLine, offerGroups, telHref } from './format.ts';
import { confirmation } from './strings.ts';
import type { ConfirmationMailInput } from './types.ts';

/**
 * The confirmation to the landlord, in the language of the form: thanks, the reference number,
 * what happens next, a summary of what they sent, whom to contact and how to withdraw.
 * It promises nothing beyond what the portal's confirmation page says.
 */
export default function ConfirmationMail(props: ConfirmationMailInput & { subject: string }) {
  const { reference, receivedAt, offer, stadtbezirk, carrierName, locale, coordinator, subject } = props;
  const s = confirmation[locale];
  const received = formatTimestamp(receivedAt, locale);
  const ref = oneLine(reference);
  const bezirk = stadtbezirk ? oneLine(stadtbezirk) : undefined;
  const carrier = carrierName ? oneLine(carrierName) : undefined;
  const coordinatorEmail = oneLine(coordinator.email);
  const coordinatorPhone = coordinator.phone ? oneLine(coordinator.phone) : undefined;
  const li: CSSProperties = {
    margin: '0 0 8px',
    fontFamily: fontStack,
    fontSize: '16px',
    lineHeight: '1.5',
    ...colors.card,
  };

  return (
    <Layout lang={locale} title={subject} preheader={`${s.referenceLabel}: ${ref}`}>
      <H1>{s.title}</H1>
      <P>
        <Fill template={s.greeting} params={{ name: oneLine(offer.name) }} />
      </P>
      <P>{received ? <Fill template={s.intro} params={received} /> : s.introNoTime}</P>

      <Reference
        label={s.referenceLabel}
        reference={ref}
        hint={coordinatorPhone ? s.referenceHintPhone : s.referenceHint}
      />

      <H2>{s.nextTitle}</H2>
      <ol
        style={{
          margin: '0 0 12px',
          paddingLeft: '24px',
          fontFamily: fontStack,
          fontSize: '16px',
          lineHeight: '1.5',
          ...colors.card,
        }}
      >
        <li style={li}>
          {s.step1}
          {bezirk && carrier ? (
            <>
              {' '}
              <Fill template={s.step1Carrier} params={{ stadtbezirk: bezirk, carrier }} />
            </>
          ) : null}
        </li>
        <li style={li}>{s.step2}</li>
      </ol>

      <H2>{s.summaryTitle}</H2>
      <P>{s.summaryIntro}</P>
      <OfferTables groups={offerGroups(offer, { locale, stadtbezirk })} />

      <H2>{s.contactTitle}</H2>
      <P>{s.contactIntro}</P>
      <P>
        <strong>{oneLine(coordinator.name)}</strong>
        <br />
        {s.email}: <A href={`mailto:${coordinatorEmail}`}>{coordinatorEmail}</A>
        {coordinatorPhone ? (
          <>
            <br />
            {s.phone}: <A href={telHref(coordinatorPhone)}>{coordinatorPhone}</A>
          </>
        ) : null}
      </P>

      <H2>{s.withdrawTitle}</H2>
      <P>
        <Fill
          template={s.withdraw}
          params={{
            email: <A href={`mailto:${coordinatorEmail}`}>{coordinatorEmail}</A>,
            reference: <strong style={{ whiteSpace: 'nowrap' }}>{ref}</strong>,
          }}
        />
      </P>

      <P>
        {s.closing}
        <br />
        {oneLine(coordinator.name)}
      </P>
      <Footer>{s.footer}</Footer>
    </Layout>
  );
}
