import type { EntityManager } from 'typeorm';
import type { Thresholds } from '#libs/calculations';
import { RbmSettingsEntity } from './entities/index.js';

/**
 * The one reader of the organisation's RBM settings in force (DESIGN.md §5: thresholds, validation
 * cut-off, blocking checklist rules): the `rbm_settings` row with the highest version. Settings are
 * versioned rows, never edited in place, so a report can name the version it used.
 * @param manager the EntityManager of the caller's transaction (or the DataSource's manager)
 * @returns the settings in force, or null when the table is empty (the migrations seed version 1)
 */
export async function settingsInForce(manager: EntityManager): Promise<RbmSettingsEntity | null> {
  const [settings] = await manager.getRepository(RbmSettingsEntity).find({ order: { version: 'DESC' }, take: 1 });
  return settings ?? null;
}

/** The thresholds part of the settings (DESIGN.md §5), in the shape the calculations take. */
export function settingsThresholds(settings: RbmSettingsEntity): Thresholds {
  return {
    version: settings.version,
    atRiskFrom: settings.atRiskFrom,
    onTrackFrom: settings.onTrackFrom,
    exceededAbove: settings.exceededAbove,
  };
}
