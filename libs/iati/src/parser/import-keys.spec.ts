import { describe, expect, it } from '@jest/globals';
import { parseIatiActivities } from './iati-activities.parser.js';
import { importKeysOf, reportingOrgUnit } from './import-keys.js';

const activity = (id: string, reportingOrg: string, funders: string[]) => `
  <iati-activity>
    <iati-identifier>${id}</iati-identifier>
    <reporting-org ref="${reportingOrg}" type="40"><narrative>Org ${reportingOrg}</narrative></reporting-org>
    <title><narrative>Activity ${id}</narrative></title>
    ${funders.map((f) => `<participating-org ref="${f}" role="1"><narrative>Fund ${f}</narrative></participating-org>`).join('')}
    <participating-org ref="XM-IMPLEMENTER" role="4"><narrative>Not a funder</narrative></participating-org>
  </iati-activity>`;
const parse = (activities: string) =>
  parseIatiActivities(`<iati-activities version="2.03">${activities}</iati-activities>`, {
    sdgTargetExists: () => true,
    sdgIndicatorExists: () => true,
  }).activities;

describe('importKeysOf', () => {
  it('lists the identifiers, funders and reporting-org units of a file, each once, in first-seen order', () => {
    const keys = importKeysOf(
      parse(
        activity('XM-A', 'XM-ORG 1', ['XM-F2', ' XM-F1 ']) +
          activity('XM-B', 'XM-ORG-2', ['XM-F1', 'XM-F3']) +
          activity('XM-A', 'XM-ORG 1', ['XM-F2']),
      ),
    );
    expect(keys).toEqual({
      identifiers: ['XM-A', 'XM-B'],
      funderRefs: ['XM-F2', 'XM-F1', 'XM-F3'],
      reportingOrgUnitCodes: ['XM-ORG-1', 'XM-ORG-2'],
    });
  });

  it('leaves out activities without an identifier (they are not imported) and funders without a ref', () => {
    const keys = importKeysOf(parse(activity('', 'XM-ORG-9', ['XM-F9']) + activity('XM-C', 'XM-ORG-3', ['', ' '])));
    expect(keys).toEqual({ identifiers: ['XM-C'], funderRefs: [], reportingOrgUnitCodes: ['XM-ORG-3'] });
  });
});

describe('reportingOrgUnit', () => {
  it('derives the code from the ref (else the name), other characters made one dash, cut to 32', () => {
    expect(reportingOrgUnit({ ref: ' GB-GOV-1 ', name: 'FCDO' })).toEqual({ code: 'GB-GOV-1', name: 'FCDO' });
    expect(reportingOrgUnit({ ref: null, name: 'Office of the Fund / HQ' })).toEqual({
      code: 'Office-of-the-Fund-HQ',
      name: 'Office of the Fund / HQ',
    });
    expect(reportingOrgUnit({ ref: 'X'.repeat(40), name: null })).toEqual({
      code: 'X'.repeat(32),
      name: 'X'.repeat(40),
    });
    expect(reportingOrgUnit({ ref: null, name: null })).toEqual({ code: 'IATI-UNKNOWN', name: 'IATI-UNKNOWN' });
  });
});
