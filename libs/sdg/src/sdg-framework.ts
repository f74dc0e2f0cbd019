import { readFileSync } from 'node:fs';
import { repoPath } from '#libs/common';

/** Shape of data/sdg/sdg-framework.extended.json (UNSD global indicator framework, 2025 revision). */
export interface SdgFrameworkFile {
  counts: { goals: number; targets: number; indicator_listings: number; unique_indicators_by_unsd_code: number };
  goals: {
    code: string;
    title: string;
    targets: {
      code: string;
      title: string;
      indicators: { code: string; title: string; unsd_code?: string | null; also_listed_as?: string[] }[];
    }[];
  }[];
}

/** Reads the SDG framework shipped in the repository (data/sdg/sdg-framework.extended.json). */
export function readSdgFramework(path = repoPath('data', 'sdg', 'sdg-framework.extended.json')): SdgFrameworkFile {
  return JSON.parse(readFileSync(path, 'utf8')) as SdgFrameworkFile;
}
