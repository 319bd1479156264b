/**
 * Which Stadtteile each Cologne postal code touches. Sources: the city's street directory
 * (Straßenverzeichnis, Stand 2015-01-01: every street section with its Stadtteil and postal code),
 * the city's Stadtteil polygons (2013) intersected with postal-code polygons (1999), the city's
 * polling-station and school addresses (2014), and a published Stadtteil list (2019); built
 * 2026-11-29, evidence in the spike report cologne-postal.md. Used to check that the postal code
 * and the Stadtteil of an offer fit together; inclusive where sources disagree, because rejecting
 * a real address is worse than accepting a wrong pair.
 *
 * `streets`: the Stadtteile the street directory pairs with the code, most street sections first
 * (the error message names these). `near`: further Stadtteile that only the postal-code polygons
 * or a published list place there, or that lie within 150 m of the area (the 1999 borders are off
 * by up to ~270 m). An offer may name any of both.
 */
export const stadtteileByPostalCode: Readonly<Record<string, { streets: readonly string[]; near: readonly string[] }>> =
  {
    '50667': { streets: ['Altstadt-Nord', 'Altstadt-Süd'], near: [] },
    '50668': { streets: ['Altstadt-Nord', 'Neustadt-Nord'], near: ['Riehl', 'Nippes'] },
    '50670': { streets: ['Neustadt-Nord', 'Altstadt-Nord'], near: ['Nippes', 'Neuehrenfeld'] },
    '50672': { streets: ['Neustadt-Nord', 'Altstadt-Nord'], near: ['Ehrenfeld', 'Altstadt-Süd', 'Neuehrenfeld'] },
    '50674': { streets: ['Neustadt-Süd', 'Neustadt-Nord', 'Altstadt-Süd'], near: ['Altstadt-Nord'] },
    '50676': { streets: ['Altstadt-Süd', 'Altstadt-Nord'], near: [] },
    '50677': { streets: ['Neustadt-Süd', 'Altstadt-Süd'], near: [] },
    '50678': { streets: ['Altstadt-Süd', 'Neustadt-Süd'], near: ['Bayenthal'] },
    '50679': { streets: ['Deutz', 'Mülheim'], near: ['Kalk', 'Poll', 'Humboldt/Gremberg', 'Buchforst'] },
    '50733': {
      streets: ['Nippes', 'Niehl', 'Weidenpesch'],
      near: ['Riehl', 'Mauenheim', 'Neustadt-Nord', 'Bilderstöckchen'],
    },
    '50735': { streets: ['Niehl', 'Riehl', 'Weidenpesch'], near: ['Merkenich', 'Fühlingen'] },
    '50737': { streets: ['Longerich', 'Weidenpesch', 'Mauenheim'], near: ['Niehl', 'Seeberg', 'Fühlingen'] },
    '50739': {
      streets: ['Bilderstöckchen', 'Longerich', 'Mauenheim', 'Weidenpesch'],
      near: ['Nippes', 'Lindweiler', 'Heimersdorf', 'Niehl', 'Neuehrenfeld', 'Seeberg'],
    },
    '50765': {
      streets: [
        'Esch/Auweiler',
        'Chorweiler',
        'Volkhoven/Weiler',
        'Blumenberg',
        'Fühlingen',
        'Roggendorf/Thenhoven',
        'Pesch',
        'Worringen',
        'Heimersdorf',
        'Seeberg',
      ],
      near: ['Bocklemünd/Mengenich', 'Lindweiler'],
    },
    '50767': {
      streets: ['Heimersdorf', 'Pesch', 'Lindweiler', 'Esch/Auweiler', 'Seeberg'],
      near: ['Volkhoven/Weiler', 'Ossendorf', 'Chorweiler', 'Longerich'],
    },
    '50769': {
      streets: ['Worringen', 'Seeberg', 'Merkenich', 'Roggendorf/Thenhoven', 'Fühlingen'],
      near: ['Blumenberg', 'Chorweiler', 'Longerich', 'Niehl', 'Volkhoven/Weiler'],
    },
    '50823': {
      streets: ['Ehrenfeld', 'Neuehrenfeld', 'Bilderstöckchen'],
      near: ['Neustadt-Nord', 'Nippes', 'Lindenthal'],
    },
    '50825': {
      streets: ['Neuehrenfeld', 'Ehrenfeld', 'Bickendorf', 'Ossendorf'],
      near: ['Bilderstöckchen', 'Lindenthal', 'Braunsfeld'],
    },
    '50827': {
      streets: ['Bickendorf', 'Ossendorf', 'Ehrenfeld', 'Neuehrenfeld', 'Vogelsang'],
      near: ['Bilderstöckchen', 'Longerich'],
    },
    '50829': {
      streets: ['Bocklemünd/Mengenich', 'Vogelsang', 'Ossendorf', 'Widdersdorf', 'Esch/Auweiler'],
      near: ['Bickendorf', 'Longerich', 'Pesch', 'Lindweiler', 'Müngersdorf', 'Ehrenfeld'],
    },
    '50858': { streets: ['Junkersdorf', 'Weiden'], near: ['Müngersdorf', 'Lindenthal', 'Lövenich', 'Sülz'] },
    '50859': { streets: ['Widdersdorf', 'Lövenich', 'Weiden'], near: ['Bocklemünd/Mengenich', 'Müngersdorf'] },
    '50931': { streets: ['Lindenthal'], near: ['Neustadt-Süd', 'Ehrenfeld', 'Neustadt-Nord', 'Sülz', 'Braunsfeld'] },
    '50933': {
      streets: ['Müngersdorf', 'Braunsfeld', 'Lindenthal'],
      near: ['Vogelsang', 'Ehrenfeld', 'Widdersdorf', 'Bickendorf', 'Junkersdorf'],
    },
    '50935': { streets: ['Lindenthal', 'Sülz', 'Junkersdorf'], near: ['Braunsfeld', 'Müngersdorf'] },
    '50937': { streets: ['Sülz', 'Lindenthal', 'Klettenberg'], near: ['Neustadt-Süd'] },
    '50939': { streets: ['Klettenberg', 'Sülz'], near: ['Zollstock', 'Neustadt-Süd'] },
    '50968': {
      streets: ['Marienburg', 'Raderthal', 'Bayenthal', 'Raderberg', 'Zollstock'],
      near: ['Neustadt-Süd', 'Rodenkirchen'],
    },
    '50969': { streets: ['Zollstock', 'Raderberg'], near: ['Raderthal', 'Neustadt-Süd'] },
    '50996': { streets: ['Rodenkirchen', 'Hahnwald', 'Marienburg'], near: ['Sürth', 'Godorf'] },
    '50997': {
      streets: ['Rondorf', 'Meschenich', 'Immendorf', 'Godorf', 'Raderthal', 'Sürth'],
      near: ['Zollstock', 'Hahnwald', 'Marienburg', 'Rodenkirchen', 'Klettenberg'],
    },
    '50999': { streets: ['Sürth', 'Weiß', 'Rodenkirchen'], near: ['Godorf', 'Hahnwald'] },
    '51061': {
      streets: ['Höhenhaus', 'Flittard', 'Stammheim', 'Dünnwald', 'Mülheim'],
      near: ['Dellbrück', 'Holweide'],
    },
    '51063': { streets: ['Mülheim', 'Buchheim', 'Stammheim'], near: ['Höhenhaus', 'Holweide', 'Buchforst', 'Deutz'] },
    '51065': { streets: ['Mülheim', 'Buchforst', 'Buchheim'], near: ['Kalk', 'Höhenberg'] },
    '51067': { streets: ['Holweide', 'Buchheim', 'Dellbrück'], near: ['Merheim', 'Höhenhaus', 'Höhenberg'] },
    '51069': { streets: ['Dellbrück', 'Dünnwald', 'Höhenhaus', 'Flittard'], near: ['Brück', 'Merheim', 'Holweide'] },
    '51103': {
      streets: ['Kalk', 'Höhenberg', 'Vingst', 'Merheim'],
      near: ['Buchheim', 'Buchforst', 'Holweide', 'Ostheim', 'Deutz'],
    },
    '51105': {
      streets: ['Poll', 'Humboldt/Gremberg', 'Kalk', 'Westhoven'],
      near: ['Vingst', 'Deutz', 'Gremberghoven'],
    },
    '51107': {
      streets: ['Rath/Heumar', 'Ostheim', 'Vingst', 'Eil', 'Humboldt/Gremberg'],
      near: ['Merheim', 'Neubrück', 'Brück', 'Gremberghoven', 'Höhenberg', 'Kalk'],
    },
    '51109': {
      streets: ['Brück', 'Merheim', 'Neubrück', 'Ostheim'],
      near: ['Rath/Heumar', 'Dellbrück', 'Holweide', 'Höhenberg'],
    },
    '51143': {
      streets: ['Zündorf', 'Porz', 'Langel'],
      near: ['Elsdorf', 'Libur', 'Urbach', 'Finkenberg', 'Wahn', 'Gremberghoven'],
    },
    '51145': { streets: ['Urbach', 'Eil', 'Porz', 'Elsdorf', 'Finkenberg'], near: ['Grengel', 'Wahnheide', 'Wahn'] },
    '51147': { streets: ['Wahn', 'Wahnheide', 'Grengel', 'Lind', 'Libur', 'Eil'], near: ['Elsdorf', 'Zündorf'] },
    '51149': {
      streets: ['Ensen', 'Westhoven', 'Gremberghoven', 'Finkenberg', 'Eil', 'Porz'],
      near: ['Rath/Heumar', 'Ostheim', 'Humboldt/Gremberg', 'Poll'],
    },
  };
