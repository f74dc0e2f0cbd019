import {
  formatComputed,
  formatEntered,
  formatPercentValue,
  type IndicatorStatus,
  type NumberLanguage,
} from '#libs/calculations';
import type { ReportIndicatorRow } from './project-report.js';

/**
 * Report label catalogues (issue 12, item 7): a human label for every code a report prints, and the
 * phrases around figures, in English and French. Every renderer (CSV headers stay machine names;
 * XLSX, PDF and the text cells of CSV use these) takes its words from here, so no snake_case code
 * reaches a reader. A code missing from a catalogue is humanised (`overlapping_periods` →
 * "Overlapping periods"), never printed raw.
 */

/** Languages of the report catalogues. */
export const REPORT_LANGUAGES = ['en', 'fr'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number] & NumberLanguage;

/** Kinds of codes with a label. */
export type CodeKind =
  | 'status'
  | 'flag'
  | 'reviewFlag'
  | 'measure'
  | 'direction'
  | 'aggregation'
  | 'level'
  | 'section'
  | 'quarterStatus'
  | 'revisionStatus'
  | 'milestoneRating'
  | 'assumptionKind'
  | 'assumptionStatus'
  | 'likelihood'
  | 'role'
  | 'scope'
  | 'notCombined'
  | 'dimension'
  | 'category';

type Catalogue = Record<CodeKind, Record<string, string>> & { phrases: Phrases };

/** Phrases around figures; `{x}` marks where a value goes. */
interface Phrases {
  toDate: string;
  thisQuarter: string;
  latest: string;
  nothingReported: string;
  targetDueNothingReported: string;
  noTargetDueYet: string;
  noTargetDueBy: string;
  noEndTarget: string;
  achievement: string;
  progress: string;
  yes: string;
  no: string;
  by: string;
  months: string[];
}

const EN: Catalogue = {
  status: {
    exceeded: 'Exceeded',
    on_track: 'On track',
    at_risk: 'At risk',
    off_track: 'Off track',
    no_data: 'No data',
    not_assessable: 'Not assessable',
  },
  flag: {
    overdue: 'Overdue',
    decrease_on_sum: 'Decrease indicator summed over time',
    aggregation_overridden: 'Aggregation overridden',
    percentage_not_poolable: 'Percentage cannot be pooled',
    zero_denominator: 'Denominator is zero',
    target_zero_denominator: 'Target denominator is zero',
    incomplete_fraction: 'Numerator or denominator missing',
    overlapping_periods: 'Overlapping reporting periods',
    overlapping_target_periods: 'Overlapping target periods',
    target_equals_baseline: 'Target equals baseline',
    target_not_beyond_baseline: 'Target not beyond baseline',
    end_target_equals_baseline: 'End target equals baseline',
    end_target_not_beyond_baseline: 'End target not beyond baseline',
    calculation_error: 'Calculation error',
    restated: 'Restated',
  },
  reviewFlag: {
    aggregation_inferred: 'Aggregation inferred on import',
    direction_inferred: 'Direction inferred on import',
    end_target_inferred: 'End target inferred on import',
    ascending_missing: 'Direction missing in the import',
    ascending_untrusted: 'Direction in the import not trusted',
    nominal_as_number: 'Nominal measure read as a number',
    nominal_as_qualitative: 'Nominal measure read as text',
    measure_name_used: 'Measure taken from its name',
    value_not_numeric: 'Value not numeric',
    value_out_of_range: 'Value out of range',
  },
  measure: { number: 'Number', percentage: 'Percentage', ordinal: 'Ordinal scale', qualitative: 'Qualitative' },
  direction: { increase: 'Increase', decrease: 'Decrease' },
  aggregation: { sum: 'Cumulative (sum)', latest: 'Latest value' },
  level: { impact: 'Impact', outcome: 'Outcome', output: 'Output' },
  section: {
    impact: 'Impact',
    outcome: 'Outcome',
    output: 'Output',
    'unlinked output': 'Output not linked to an outcome',
    'roll-up': 'Roll-up',
  },
  quarterStatus: { draft: 'Draft', submitted: 'Submitted', validated: 'Validated', returned: 'Returned' },
  revisionStatus: {
    draft: 'Draft',
    submitted: 'Submitted',
    returned: 'Returned',
    approved: 'Approved',
    superseded: 'Superseded',
  },
  milestoneRating: { achieved: 'Achieved', partly_achieved: 'Partly achieved', not_achieved: 'Not achieved' },
  assumptionKind: { assumption: 'Assumption', risk: 'Risk' },
  assumptionStatus: {
    holds: 'Holds',
    at_risk: 'At risk',
    no_longer_holds: 'No longer holds',
    materialised: 'Materialised',
    mitigated: 'Mitigated',
  },
  likelihood: { low: 'Low', medium: 'Medium', high: 'High' },
  role: {
    project_manager: 'Project manager',
    rbm_focal_point: 'RBM focal point',
    donor: 'Donor',
    admin: 'Administrator',
    sdg_focal_point: 'SDG focal point',
  },
  scope: {
    project: 'Project',
    programme: 'Programme',
    donor: 'Donor',
    org_unit: 'Org unit',
    sdg_target: 'SDG target',
  },
  notCombined: {
    not_mapped: 'Not mapped to a standard indicator',
    measure_not_combinable: 'Measure cannot be combined',
    mixed_measures: 'Different measures',
    mixed_units: 'Different units',
    percentage_not_poolable: 'Percentage cannot be pooled',
  },
  dimension: {
    sex: 'Sex',
    age: 'Age',
    disability: 'Disability',
    location: 'Location',
    urban_rural: 'Urban/rural',
    lnob: 'Left-behind groups',
  },
  category: {
    female: 'Female',
    male: 'Male',
    other: 'Other',
    not_recorded: 'Not recorded',
    urban: 'Urban',
    rural: 'Rural',
  },
  phrases: {
    toDate: 'to date {x}',
    thisQuarter: 'this quarter {x}',
    latest: 'latest {x}',
    nothingReported: 'nothing reported',
    targetDueNothingReported: 'Target due by {date}: {x}; nothing reported',
    noTargetDueYet: 'no target due yet',
    noTargetDueBy: 'no target due by {date}',
    noEndTarget: 'no end target set',
    achievement: 'achievement {x}',
    progress: 'progress to end target {x}',
    yes: 'Yes',
    no: 'No',
    by: '{name} ({role})',
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  },
};

const FR: Catalogue = {
  status: {
    exceeded: 'Dépassé',
    on_track: 'En bonne voie',
    at_risk: 'À risque',
    off_track: 'Hors trajectoire',
    no_data: 'Pas de données',
    not_assessable: 'Non évaluable',
  },
  flag: {
    overdue: 'En retard',
    decrease_on_sum: 'Indicateur de baisse additionné dans le temps',
    aggregation_overridden: 'Agrégation remplacée',
    percentage_not_poolable: 'Pourcentage non agrégeable',
    zero_denominator: 'Dénominateur nul',
    target_zero_denominator: 'Dénominateur de la cible nul',
    incomplete_fraction: 'Numérateur ou dénominateur manquant',
    overlapping_periods: 'Périodes de rapport qui se chevauchent',
    overlapping_target_periods: 'Périodes cibles qui se chevauchent',
    target_equals_baseline: 'Cible égale à la référence',
    target_not_beyond_baseline: 'Cible pas au-delà de la référence',
    end_target_equals_baseline: 'Cible finale égale à la référence',
    end_target_not_beyond_baseline: 'Cible finale pas au-delà de la référence',
    calculation_error: 'Erreur de calcul',
    restated: 'Retraité',
  },
  reviewFlag: {
    aggregation_inferred: 'Agrégation déduite à l’import',
    direction_inferred: 'Sens déduit à l’import',
    end_target_inferred: 'Cible finale déduite à l’import',
    ascending_missing: 'Sens absent de l’import',
    ascending_untrusted: 'Sens de l’import non fiable',
    nominal_as_number: 'Mesure nominale lue comme un nombre',
    nominal_as_qualitative: 'Mesure nominale lue comme du texte',
    measure_name_used: 'Mesure déduite de son nom',
    value_not_numeric: 'Valeur non numérique',
    value_out_of_range: 'Valeur hors limites',
  },
  measure: { number: 'Nombre', percentage: 'Pourcentage', ordinal: 'Échelle ordinale', qualitative: 'Qualitatif' },
  direction: { increase: 'Hausse', decrease: 'Baisse' },
  aggregation: { sum: 'Cumulatif (somme)', latest: 'Dernière valeur' },
  level: { impact: 'Impact', outcome: 'Effet', output: 'Produit' },
  section: {
    impact: 'Impact',
    outcome: 'Effet',
    output: 'Produit',
    'unlinked output': 'Produit non rattaché à un effet',
    'roll-up': 'Agrégation',
  },
  quarterStatus: { draft: 'Brouillon', submitted: 'Soumis', validated: 'Validé', returned: 'Renvoyé' },
  revisionStatus: {
    draft: 'Brouillon',
    submitted: 'Soumise',
    returned: 'Renvoyée',
    approved: 'Approuvée',
    superseded: 'Remplacée',
  },
  milestoneRating: { achieved: 'Atteint', partly_achieved: 'Partiellement atteint', not_achieved: 'Non atteint' },
  assumptionKind: { assumption: 'Hypothèse', risk: 'Risque' },
  assumptionStatus: {
    holds: 'Se vérifie',
    at_risk: 'À risque',
    no_longer_holds: 'Ne se vérifie plus',
    materialised: 'Survenu',
    mitigated: 'Atténué',
  },
  likelihood: { low: 'Faible', medium: 'Moyenne', high: 'Élevée' },
  role: {
    project_manager: 'Gestionnaire de projet',
    rbm_focal_point: 'Point focal GAR',
    donor: 'Bailleur',
    admin: 'Administrateur',
    sdg_focal_point: 'Point focal ODD',
  },
  scope: {
    project: 'Projet',
    programme: 'Programme',
    donor: 'Bailleur',
    org_unit: 'Unité',
    sdg_target: 'Cible ODD',
  },
  notCombined: {
    not_mapped: 'Non relié à un indicateur standard',
    measure_not_combinable: 'Mesure non combinable',
    mixed_measures: 'Mesures différentes',
    mixed_units: 'Unités différentes',
    percentage_not_poolable: 'Pourcentage non agrégeable',
  },
  dimension: {
    sex: 'Sexe',
    age: 'Âge',
    disability: 'Handicap',
    location: 'Lieu',
    urban_rural: 'Urbain/rural',
    lnob: 'Groupes laissés pour compte',
  },
  category: {
    female: 'Femmes',
    male: 'Hommes',
    other: 'Autre',
    not_recorded: 'Non renseigné',
    urban: 'Urbain',
    rural: 'Rural',
  },
  phrases: {
    toDate: 'à ce jour {x}',
    thisQuarter: 'ce trimestre {x}',
    latest: 'dernière valeur {x}',
    nothingReported: 'rien de rapporté',
    targetDueNothingReported: 'Cible attendue au {date} : {x} ; rien de rapporté',
    noTargetDueYet: 'pas encore de cible attendue',
    noTargetDueBy: 'pas de cible attendue au {date}',
    noEndTarget: 'pas de cible finale',
    achievement: 'réalisation {x}',
    progress: 'progression vers la cible finale {x}',
    yes: 'Oui',
    no: 'Non',
    by: '{name} ({role})',
    months: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  },
};

const CATALOGUES: Record<ReportLanguage, Catalogue> = { en: EN, fr: FR };

/** Whether a language code has a catalogue. */
export function isReportLanguage(value: unknown): value is ReportLanguage {
  return typeof value === 'string' && (REPORT_LANGUAGES as readonly string[]).includes(value);
}

/** A code humanised: `overlapping_periods` → `Overlapping periods`. */
export function humanise(code: string): string {
  const text = code.replace(/[_-]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The human label of a code in a language (a code missing from the catalogue is humanised, never printed raw). */
export function codeLabel(kind: CodeKind, code: string, lang: ReportLanguage = 'en'): string {
  return CATALOGUES[lang][kind][code] ?? EN[kind][code] ?? humanise(code);
}

/** The label of an indicator status. */
export function statusText(status: IndicatorStatus | string, lang: ReportLanguage = 'en'): string {
  return codeLabel('status', status, lang);
}

/** A person as reports show them: `Amina Diallo (RBM focal point)`. */
export function personText(
  person: { displayName: string; role: string } | null | undefined,
  lang: ReportLanguage = 'en',
): string | null {
  if (!person) return null;
  return CATALOGUES[lang].phrases.by
    .replace('{name}', person.displayName)
    .replace('{role}', codeLabel('role', person.role, lang));
}

/** A calendar date `YYYY-MM-DD` as `31 Mar 2022` (`31 mars 2022`). */
export function shortDate(date: string, lang: ReportLanguage = 'en'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  return `${Number(m[3])} ${CATALOGUES[lang].phrases.months[Number(m[2]) - 1]} ${m[1]}`;
}

const fill = (phrase: string, values: Record<string, string>) =>
  phrase.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

/** An entered indicator value for reading: exact, with `%` (percentages) or the unit when asked. */
export function indicatorValueText(
  value: number | string | null | undefined,
  row: Pick<ReportIndicatorRow, 'measure' | 'unit'>,
  lang: ReportLanguage = 'en',
  withUnit = false,
): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'string') return value;
  const text = formatEntered(value, lang);
  if (row.measure === 'percentage') return `${text}\u00a0%`;
  return withUnit && row.measure === 'number' && row.unit && row.unit !== '%' ? `${text}\u00a0${row.unit}` : text;
}

/** A computed percentage (achievement, progress, pooled) to 1 dp with `%`; null → `–`. */
export function percentText(value: number | null | undefined, lang: ReportLanguage = 'en'): string {
  return value === null || value === undefined ? '–' : `${formatPercentValue(value, lang)}\u00a0%`;
}

/** A computed figure that is not a percentage (exact when it terminates, else 4 significant digits). */
export function computedText(value: number | null | undefined, lang: ReportLanguage = 'en'): string {
  return value === null || value === undefined ? '–' : formatComputed(value, lang);
}

/**
 * The labelled figures of a cumulative indicator beside its latest actual (issue 12, item 5): a `sum`
 * number indicator shows "this quarter X" (the quarter's own new results, when any) and "to date Y"
 * (the running total). A `latest` indicator shows none: its latest actual is a level or running total,
 * never "this quarter". Nothing reported: none (the target line says "nothing reported").
 */
export function cumulativeFigures(row: ReportIndicatorRow, lang: ReportLanguage = 'en'): string[] {
  if (row.measure !== 'number' || row.aggregation !== 'sum' || row.latestActual === null) return [];
  const p = CATALOGUES[lang].phrases;
  const value = (v: number | string | null) => indicatorValueText(v, row, lang, true);
  return [
    ...(row.actualThisQuarter !== null ? [fill(p.thisQuarter, { x: value(row.actualThisQuarter) })] : []),
    fill(p.toDate, { x: value(row.actualToDate) }),
  ];
}

/**
 * The target line of an indicator (issue 12, item 5): the target to date when there is one; with
 * nothing reported, "Target due by 31 Mar 2022: 3; nothing reported" (the target due by the as-of
 * date, inclusive); "no target due yet" only when no period target ends on or before the as-of date.
 */
export function targetToDateText(row: ReportIndicatorRow, lang: ReportLanguage = 'en'): string {
  const p = CATALOGUES[lang].phrases;
  const value = (v: number | string | null) => indicatorValueText(v, row, lang, true);
  if (row.targetToDate !== null) return value(row.targetToDate);
  if (!row.targetDue) return p.noTargetDueYet;
  if (row.latestActual === null)
    return fill(p.targetDueNothingReported, { date: shortDate(row.targetDue.by, lang), x: value(row.targetDue.value) });
  return fill(p.noTargetDueBy, { date: shortDate(row.evaluationPeriod?.end ?? row.targetDue.by, lang) });
}

/** The catalogue's phrases (for renderers that compose their own lines). */
export function phrases(lang: ReportLanguage = 'en'): Readonly<Phrases> {
  return CATALOGUES[lang].phrases;
}

/**
 * The report language of a request (issue 12): `?lang=` when it names a catalogue, else the first
 * Accept-Language range that does (`fr-CA;q=0.9` → `fr`), else the requester's own language, else English.
 * @throws never: unknown languages fall through to the next source
 */
export function resolveReportLanguage(
  query: string | undefined,
  acceptLanguage: string | undefined,
  userLanguage: string | null | undefined,
): ReportLanguage {
  if (isReportLanguage(query)) return query;
  if (acceptLanguage) {
    const ranges = acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag, ...params] = part.trim().split(';');
        const q = params.map((x) => /^\s*q=([\d.]+)\s*$/.exec(x)).find(Boolean);
        return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, index };
      })
      .filter((r) => r.q > 0)
      .sort((a, b) => b.q - a.q || a.index - b.index);
    const hit = ranges.find((r) => isReportLanguage(r.lang));
    if (hit) return hit.lang as ReportLanguage;
  }
  const own = userLanguage?.trim();
  return isReportLanguage(own) ? own : 'en';
}

/**
 * French wording of the fixed texts of report files (sheet names, column headers, summary items),
 * keyed by their English text. English is the key itself.
 */
const TEXT_FR: Readonly<Record<string, string>> = {
  Summary: 'Synthèse',
  Narrative: 'Récit',
  Outcomes: 'Effets',
  Outputs: 'Produits',
  'Outcome indicators': 'Indicateurs d’effet',
  'Output indicators': 'Indicateurs de produit',
  'Impact indicators': 'Indicateurs d’impact',
  Disaggregation: 'Désagrégation',
  'Assumptions and risks': 'Hypothèses et risques',
  Item: 'Élément',
  Value: 'Valeur',
  'Project code': 'Code du projet',
  'Project title': 'Titre du projet',
  'IATI identifier': 'Identifiant IITA',
  Scope: 'Périmètre',
  Quarter: 'Trimestre',
  'Quarter start': 'Début du trimestre',
  'Quarter end': 'Fin du trimestre',
  'As-of date': 'Date de référence',
  'Logframe revision': 'Révision du cadre logique',
  'Revision status': 'Statut de la révision',
  'Approved by': 'Approuvé par',
  'Approved on': 'Approuvé le',
  'Submitted by': 'Soumis par',
  'Validated by': 'Validé par',
  'Snapshot SHA-256': 'Empreinte SHA-256',
  'Thresholds version': 'Version des seuils',
  Thresholds: 'Seuils',
  'Calculation version': 'Version du calcul',
  'Validation status': 'Statut de validation',
  Restated: 'Retraité',
  'Reopen reason': 'Motif de réouverture',
  'Report use': 'Usage du rapport',
  'INTERNAL – not for donors': 'INTERNE – pas pour les bailleurs',
  'Donor-ready': 'Prêt pour les bailleurs',
  'Internal reasons': 'Raisons internes',
  'SDG targets': 'Cibles ODD',
  Indicators: 'Indicateurs',
  'Indicators reported': 'Indicateurs renseignés',
  'Missing (target due, nothing reported)': 'Manquants (cible attendue, rien de rapporté)',
  Overdue: 'En retard',
  'No target due yet': 'Pas encore de cible attendue',
  'Progress summary': 'Synthèse des progrès',
  Challenges: 'Difficultés',
  'Lessons learned': 'Enseignements',
  'Next quarter': 'Trimestre suivant',
  Text: 'Texte',
  'Outcome code': 'Code de l’effet',
  'Output code': 'Code du produit',
  Statement: 'Énoncé',
  'Computed status': 'Statut calculé',
  "Manager's rating": 'Appréciation du gestionnaire',
  'Rating justification': 'Justification de l’appréciation',
  'Indicator code': 'Code de l’indicateur',
  Indicator: 'Indicateur',
  Measure: 'Mesure',
  Unit: 'Unité',
  Direction: 'Sens',
  Aggregation: 'Agrégation',
  Baseline: 'Référence',
  'Baseline year': 'Année de référence',
  'End target': 'Cible finale',
  'Target to date': 'Cible à ce jour',
  'Target due by the as-of date': 'Cible attendue à la date de référence',
  'Target due by': 'Cible attendue au',
  'Actual this quarter (cumulative indicators)': 'Réalisé ce trimestre (indicateurs cumulatifs)',
  'Latest actual': 'Dernier réalisé',
  'Latest actual period start': 'Début de la période du dernier réalisé',
  'Latest actual period end': 'Fin de la période du dernier réalisé',
  'Actual to date': 'Réalisé à ce jour',
  'Achievement %': 'Réalisation %',
  'Progress to end target %': 'Progression vers la cible finale %',
  Status: 'Statut',
  'Status note': 'Note sur le statut',
  'Variance explanation': 'Explication de l’écart',
  Flags: 'Signalements',
  'Review flags': 'Points à revoir',
  'Disaggregated values to date': 'Valeurs désagrégées à ce jour',
  Dimension: 'Dimension',
  Category: 'Catégorie',
  Numerator: 'Numérateur',
  Denominator: 'Dénominateur',
  Element: 'Élément',
  Kind: 'Type',
  Likelihood: 'Probabilité',
  Impact: 'Impact',
  Mitigation: 'Atténuation',
  'Update this quarter': 'Mise à jour du trimestre',
  Note: 'Note',
  Project: 'Projet',
  Title: 'Titre',
  'Funded by': 'Financé par',
  Revision: 'Révision',
  'Figures included': 'Chiffres inclus',
  'Why not': 'Pourquoi pas',
  Outcome: 'Effet',
  Output: 'Produit',
  'Explanation of variance': 'Explication de l’écart',
  'Roll-ups': 'Agrégations',
  'Standard indicator': 'Indicateur standard',
  Projects: 'Projets',
  'Combined actual to date': 'Réalisé combiné à ce jour',
  'Combined target to date': 'Cible combinée à ce jour',
  'Combined baseline': 'Référence combinée',
  'Combined status': 'Statut combiné',
  'Not combined because': 'Non combiné car',
  Notes: 'Notes',
  'SDG contributions': 'Contributions aux ODD',
  Code: 'Code',
  Contribution: 'Contribution',
  'Indicators and statuses': 'Indicateurs et statuts',
  'For donors': 'Pour les bailleurs',
  Yes: 'Oui',
  No: 'Non',
  'Projects with figures': 'Projets avec chiffres',
  Validated: 'Validés',
  'Not validated by the cut-off': 'Non validés à la date limite',
  'Logframe not approved': 'Cadre logique non approuvé',
  'Overdue indicators': 'Indicateurs en retard',
  'Indicators without data': 'Indicateurs sans données',
  '(not mapped)': '(non relié)',
};

/** A fixed text of a report file in a language (sheet names, headers); English is the key itself. */
export function reportText(english: string, lang: ReportLanguage = 'en'): string {
  return lang === 'fr' ? (TEXT_FR[english] ?? PDF_FR[english] ?? english) : english;
}

/**
 * A phrase of a report file in a language with its `{key}` places filled (`'Page {n} of {total}'` →
 * `Page 2 sur 9`); English is the key itself.
 */
export function reportPhrase(
  english: string,
  values: Readonly<Record<string, string | number>> = {},
  lang: ReportLanguage = 'en',
): string {
  return fill(reportText(english, lang), Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])));
}

/** Whether every phrase the PDF renderers print has its French wording (for the catalogue test). */
export function missingFrenchPhrases(englishPhrases: readonly string[]): string[] {
  return englishPhrases.filter((e) => TEXT_FR[e] === undefined && PDF_FR[e] === undefined);
}

/** Full month names of dates in PDF prose (`30 June 2025`, `30 juin 2025`). */
export const MONTH_NAMES: Readonly<Record<ReportLanguage, readonly string[]>> = {
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  fr: [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ],
};

/** French wording of the PDF renderers' phrases (`{key}` marks a value), keyed by their English text. */
const PDF_FR: Readonly<Record<string, string>> = {
  'QUARTERLY OUTCOME-LEVEL REPORT': 'RAPPORT TRIMESTRIEL AU NIVEAU DES EFFETS',
  'Results-based management report prepared with RBM Tracker':
    'Rapport de gestion axée sur les résultats établi avec RBM Tracker',
  'Quarterly outcome-level results prepared with RBM Tracker':
    'Résultats trimestriels au niveau des effets établis avec RBM Tracker',
  'Quarterly report {quarter}': 'Rapport trimestriel {quarter}',
  'quarterly report {quarter}': 'rapport trimestriel {quarter}',
  'Quarterly outcome-level report, {quarter}': 'Rapport trimestriel au niveau des effets, {quarter}',
  'Quarterly outcome-level results, {quarter}': 'Résultats trimestriels au niveau des effets, {quarter}',
  'Project {code}': 'Projet {code}',
  'IATI identifier {id}': 'Identifiant IITA {id}',
  'Not yet approved and validated': 'Pas encore approuvé et validé',
  'Donor-ready: approved logframe revision {revision}; progress for {quarter} validated.':
    'Prêt pour les bailleurs : révision {revision} du cadre logique approuvée ; progrès de {quarter} validés.',
  'and validated again; figures in this report replace earlier editions.':
    'puis validés à nouveau ; les chiffres de ce rapport remplacent les éditions antérieures.',
  'and is now {status}; figures may still change.':
    'et sont maintenant « {status} » ; les chiffres peuvent encore changer.',
  'Restated. Progress for {quarter} was reopened after validation {again}':
    'Retraité. Les progrès de {quarter} ont été rouverts après validation {again}',
  ' Reason for reopening: {reason}': ' Motif de réouverture : {reason}',
  'Reporting quarter': 'Trimestre du rapport',
  'As-of date': 'Date de référence',
  'Logframe revision': 'Révision du cadre logique',
  Validation: 'Validation',
  'Status thresholds': 'Seuils de statut',
  'none linked': 'aucune liée',
  'Results reported': 'Résultats rapportés',
  '{outcomes} outcome, {indicators} indicators': '{outcomes} effet, {indicators} indicateurs',
  '{outcomes} outcomes, {indicators} indicators': '{outcomes} effets, {indicators} indicateurs',
  "Figures are computed by RBM Tracker (calculation version {version}) from the logframe revision's snapshot{sha} and the progress data reported up to the as-of date. Percentages are rounded to one decimal.":
    'Les chiffres sont calculés par RBM Tracker (version de calcul {version}) à partir de l’instantané de la révision du cadre logique{sha} et des données de progrès rapportées jusqu’à la date de référence. Les pourcentages sont arrondis à une décimale.',
  ' (SHA-256 {sha})': ' (SHA-256 {sha})',
  'Quarterly narrative': 'Récit trimestriel',
  'Status summary': 'Synthèse des statuts',
  "Status of the {n} indicators of the logframe as of {date}: {counts}. An indicator's status compares its actual to date with its target to date (status thresholds {thresholds}).":
    'Statut des {n} indicateurs du cadre logique au {date} : {counts}. Le statut d’un indicateur compare son réalisé à ce jour à sa cible à ce jour (seuils de statut {thresholds}).',
  'Indicators by status': 'Indicateurs par statut',
  'achievement above {x} % of the target to date': 'réalisation au-dessus de {x} % de la cible à ce jour',
  'achievement from {from} % to {to} %': 'réalisation de {from} % à {to} %',
  'achievement from {from} % to below {to} %': 'réalisation de {from} % à moins de {to} %',
  'achievement below {x} %': 'réalisation en dessous de {x} %',
  'nothing reported up to the as-of date': 'rien de rapporté jusqu’à la date de référence',
  'data reported but not yet comparable with a target': 'données rapportées mais pas encore comparables à une cible',
  'Outcomes at a glance': 'Effets en un coup d’œil',
  'Outputs at a glance': 'Produits en un coup d’œil',
  'Outcome {code}': 'Effet {code}',
  'OUTCOME {code}': 'EFFET {code}',
  'Output {code}': 'Produit {code}',
  'SDG targets: {targets}': 'Cibles ODD : {targets}',
  'Justification: {text}': 'Justification : {text}',
  '(none given)': '(aucune donnée)',
  'The project manager has not yet rated this outcome for the quarter.':
    'Le gestionnaire du projet n’a pas encore apprécié cet effet pour le trimestre.',
  'not yet rated': 'pas encore apprécié',
  'Indicators by status ({n} outcome indicators)': 'Indicateurs par statut ({n} indicateurs d’effet)',
  'Outcome indicators of {code}': 'Indicateurs d’effet de {code}',
  'Indicators by status: {counts}.': 'Indicateurs par statut : {counts}.',
  'Indicators of output {code}': 'Indicateurs du produit {code}',
  'Progress against targets': 'Progrès par rapport aux cibles',
  'Outputs not linked to an outcome': 'Produits non reliés à un effet',
  'Outputs not yet linked to an outcome': 'Produits pas encore reliés à un effet',
  'Assumptions and risks': 'Hypothèses et risques',
  'Assumptions and risks: update for the quarter': 'Hypothèses et risques : mise à jour du trimestre',
  'Impact indicators': 'Indicateurs d’impact',
  Cover: 'Couverture',
  'Rendering notes': 'Notes de rendu',
  'Characters without a font in this PDF, shown as boxes: {codes}.':
    'Caractères sans police dans ce PDF, affichés comme des cases : {codes}.',
  'as of {date}': 'au {date}',
  'revision {n}': 'révision {n}',
  'Page {n} of {total}': 'Page {n} sur {total}',
  'no indicators': 'aucun indicateur',
  'Achieve-ment': 'Réalisa-tion',
  'Progress to end target': 'Progrès vers la cible finale',
  'Variance explanation: {text}': 'Explication de l’écart : {text}',
  'Flags: {flags}': 'Signalements : {flags}',
  'no actual reported': 'aucun réalisé rapporté',
  'End target': 'Cible finale',
  'no end target set': 'pas de cible finale',
  'baseline {x}': 'référence {x}',
  ' · lower is better': ' · plus bas est meilleur',
  'Latest actual {x} ({period})': 'Dernier réalisé {x} ({period})',
  'No actual reported yet': 'Aucun réalisé rapporté pour l’instant',
  'target to date: {x}': 'cible à ce jour : {x}',
  'end target: {x}': 'cible finale : {x}',
  'status {status}': 'statut {status}',
  'version {n} (at risk from {atRisk} %, on track from {onTrack} %, exceeded above {exceeded} %)':
    'version {n} (à risque dès {atRisk} %, en bonne voie dès {onTrack} %, dépassé au-dessus de {exceeded} %)',
  '{number} ({status}){by}{on}': '{number} ({status}){by}{on}',
  ' by {person}': ' par {person}',
  ' on {date}': ' le {date}',
  '{status}, restated (reopened: {reason})': '{status}, retraité (rouvert : {reason})',
  '{status}, restated (reopened after validation)': '{status}, retraité (rouvert après validation)',
  'Bar chart of indicators by status: {bars} ({total} in all).':
    'Graphique en barres des indicateurs par statut : {bars} ({total} au total).',
  '{total} indicators: {counts}.': '{total} indicateurs : {counts}.',
  'Bar chart: {bars}.': 'Graphique en barres : {bars}.',
  '{title} (continued)': '{title} (suite)',
  '{from} – {to}': '{from} – {to}',
  Likelihood: 'Probabilité',
  'likelihood {x}': 'probabilité {x}',
  'impact {x}': 'impact : {x}',
  'Mitigation: {text}': 'Atténuation : {text}',
  'Update: {status}{note}': 'Mise à jour : {status}{note}',
  'No update given for the quarter.': 'Aucune mise à jour pour le trimestre.',
  'Donor report': 'Rapport bailleur',
  'Programme report': 'Rapport de programme',
  'Organisational unit report': 'Rapport d’unité organisationnelle',
  'SDG target report': 'Rapport de cible ODD',
  '{scope}: {name}{restriction}': '{scope} : {name}{restriction}',
  ' (restricted to {units} and the units below)': ' (restreint à {units} et aux unités en dessous)',
  'amount not recorded': 'montant non enregistré',
  'from {date}': 'à partir du {date}',
  'until {date}': 'jusqu’au {date}',
  'dates not recorded': 'dates non enregistrées',
  '{internal}: {reasons}': '{internal} : {reasons}',
  'not every project is approved and validated': 'tous les projets ne sont pas approuvés et validés',
  'Donor-ready: approved logframes and validated quarters only.':
    'Prêt pour les bailleurs : cadres logiques approuvés et trimestres validés uniquement.',
  '{projects} in scope, {included} with figures in this report':
    '{projects} dans le périmètre, {included} avec chiffres dans ce rapport',
  none: 'aucun',
  'Data completeness': 'Complétude des données',
  '{noData} indicators without data, {overdue} overdue': '{noData} indicateurs sans données, {overdue} en retard',
  'version {n}': 'version {n}',
  'Funding agreements': 'Accords de financement',
  'Amount ({donor})': 'Montant ({donor})',
  'Funders and amounts': 'Bailleurs et montants',
  'Agreement period': 'Période de l’accord',
  'Co-funders': 'Cofinanceurs',
  'none recorded': 'aucun enregistré',
  'Portfolio status': 'Statut du portefeuille',
  'Status of the {total} indicators of the {included} projects with figures, as of {date}.':
    'Statut des {total} indicateurs des {included} projets avec chiffres, au {date}.',
  'Projects at a glance': 'Projets en un coup d’œil',
  ', restated': ', retraité',
  'No figures': 'Pas de chiffres',
  'Funded by {funders} · logframe revision {revision} · quarter {status}{restated}':
    'Financé par {funders} · révision du cadre logique {revision} · trimestre {status}{restated}',
  ' (restated)': ' (retraité)',
  'No figures: {reason}.': 'Pas de chiffres : {reason}.',
  'not included in this report': 'non inclus dans ce rapport',
  'Combined through standard indicators': 'Agrégé par les indicateurs standard',
  '{projects}: actual {actual} against a target of {target}{baseline} (achievement {achievement}{status}){notCombined}':
    '{projects} : réalisé {actual} pour une cible de {target}{baseline} (réalisation {achievement}{status}){notCombined}',
  ' from a baseline of {x}': ' depuis une référence de {x}',
  '; not combined: {reason}': ' ; non combiné : {reason}',
};
