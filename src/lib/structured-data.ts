import type { Carrier } from '../schemas/carriers.ts';
import type { Settings } from '../schemas/settings.ts';
import type { Locale } from '../i18n/index.ts';

/** schema.org GovernmentOrganization for the city's office, with the carriers as members. */
export function governmentOrganization(settings: Settings, carriers: Carrier[], locale: Locale, site: URL) {
  return {
    '@context': 'https://schema.org',
    '@type': 'GovernmentOrganization',
    name: `${settings.publisher.name[locale]}, ${settings.publisher.department[locale]}`,
    url: new URL(locale === 'de' ? '/' : '/en/', site).href,
    email: settings.coordinator.email,
    areaServed: { '@type': 'City', name: locale === 'de' ? 'Köln' : 'Cologne' },
    member: carriers.map((c) => ({
      '@type': 'NGO',
      name: c.name,
      email: c.email,
      ...(c.website ? { url: c.website } : {}),
    })),
  };
}

/** schema.org FAQPage from question/answer pairs (answers as HTML). */
export function faqPage(items: Array<{ question: string; answerHtml: string }>) {
  return {
    '@context': 'https://schema.org',
    '@type': 'FAQPage',
    mainEntity: items.map((item) => ({
      '@type': 'Question',
      name: item.question,
      acceptedAnswer: { '@type': 'Answer', text: item.answerHtml },
    })),
  };
}
