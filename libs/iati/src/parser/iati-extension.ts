import type {
  ExtensionActivity,
  ExtensionAssumption,
  ExtensionIndicator,
  ExtensionResult,
  ExtensionSdgLink,
} from './iati-parse.types.js';
import { type XmlElement, attrOrNull, children, text } from './xml-tree.js';

/**
 * Namespace of the RBM Tracker extension to IATI 2.03: what IATI lacks (unit, means of
 * verification, aggregation, end target, assumptions, theory of change, SDG rationale, stable ids,
 * codes, the output → outcome link). Written by our exporter, read by our importer; elements are
 * found by namespace URI, whatever prefix a file declares. Documented in docs/RULES.md.
 */
export const RBM_IATI_NS = 'urn:rbm-tracker:iati-extension:1';

/** The prefix an element declares (or inherits from `fallback`) for {@link RBM_IATI_NS}, or null. */
export function extensionPrefix(el: XmlElement | undefined, fallback: string | null): string | null {
  for (const key of Object.keys(el ?? {})) {
    if (key.startsWith('@_xmlns:') && el?.[key] === RBM_IATI_NS) return key.slice('@_xmlns:'.length);
  }
  return fallback;
}

const ONE_OF = <T extends string>(value: string | null, allowed: readonly T[]): T | null =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
const LEVELS = ['low', 'medium', 'high'] as const;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const decimal = (v: string | null) => (v !== null && DECIMAL.test(v) ? v : null);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = (v: string | null) => (v !== null && UUID.test(v) ? v.toLowerCase() : null);
const textOf = (el: XmlElement | undefined) => {
  const t = text(el);
  return t === '' ? null : t.replace(/\r\n?/g, '\n');
};

function links(el: XmlElement, p: string): ExtensionSdgLink[] {
  return children(el, `${p}:sdg-link`).flatMap((l) => {
    const target = attrOrNull(l, 'target');
    if (!target) return [];
    return [
      {
        target,
        contribution: attrOrNull(l, 'contribution') === 'primary' ? 'primary' : 'secondary',
        rationale: textOf(children(l, `${p}:rationale`)[0]),
      },
    ];
  });
}

function assumptions(el: XmlElement, p: string): ExtensionAssumption[] {
  return children(el, `${p}:assumption`).flatMap((a) => {
    const statement = textOf(children(a, `${p}:statement`)[0]);
    if (!statement) return [];
    return [
      {
        id: uuid(attrOrNull(a, 'id')),
        kind: attrOrNull(a, 'kind') === 'risk' ? 'risk' : 'assumption',
        statement,
        likelihood: ONE_OF(attrOrNull(a, 'likelihood'), LEVELS),
        impact: ONE_OF(attrOrNull(a, 'impact'), LEVELS),
        mitigation: textOf(children(a, `${p}:mitigation`)[0]),
      },
    ];
  });
}

/** `rbm:logframe` of an activity. */
export function readActivityExtension(activity: XmlElement, p: string | null): ExtensionActivity | null {
  if (!p) return null;
  const el = children(activity, `${p}:logframe`)[0];
  if (!el) return null;
  return {
    theoryOfChange: textOf(children(el, `${p}:theory-of-change`)[0]),
    sdgLinks: links(el, p),
    assumptions: assumptions(el, p),
  };
}

/** `rbm:element` of a result. */
export function readResultExtension(result: XmlElement, p: string | null): ExtensionResult | null {
  if (!p) return null;
  const el = children(result, `${p}:element`)[0];
  if (!el) return null;
  return {
    id: uuid(attrOrNull(el, 'id')),
    code: attrOrNull(el, 'code'),
    outcomeCode: attrOrNull(el, 'outcome'),
    sdgLinks: links(el, p),
    assumptions: assumptions(el, p),
  };
}

/** `rbm:indicator` of an indicator. */
export function readIndicatorExtension(indicator: XmlElement, p: string | null): ExtensionIndicator | null {
  if (!p) return null;
  const el = children(indicator, `${p}:indicator`)[0];
  if (!el) return null;
  const et = children(el, `${p}:end-target`)[0];
  return {
    id: uuid(attrOrNull(el, 'id')),
    code: attrOrNull(el, 'code'),
    unit: attrOrNull(el, 'unit'),
    aggregation: ONE_OF(attrOrNull(el, 'aggregation'), ['sum', 'latest'] as const),
    collectionFrequency: attrOrNull(el, 'collection-frequency'),
    meansOfVerification: textOf(children(el, `${p}:means-of-verification`)[0]),
    dataSource: textOf(children(el, `${p}:data-source`)[0]),
    definition: textOf(children(el, `${p}:definition`)[0]),
    requiredDisaggregations: children(el, `${p}:required-disaggregation`)
      .map((d) => attrOrNull(d, 'name'))
      .filter((n): n is string => n !== null),
    endTarget: et
      ? {
          value: decimal(attrOrNull(et, 'value')),
          numerator: decimal(attrOrNull(et, 'numerator')),
          denominator: decimal(attrOrNull(et, 'denominator')),
          description: textOf(children(et, `${p}:description`)[0]),
        }
      : null,
  };
}

/** `rbm:ratio` (numerator, denominator) of a baseline, target or actual. */
export function readRatio(
  el: XmlElement | undefined,
  p: string | null,
): { numerator: string; denominator: string } | null {
  if (!p || !el) return null;
  const r = children(el, `${p}:ratio`)[0];
  const numerator = decimal(attrOrNull(r, 'numerator'));
  const denominator = decimal(attrOrNull(r, 'denominator'));
  return numerator !== null && denominator !== null ? { numerator, denominator } : null;
}
