import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/**
 * The organisation as an IATI publisher (one row, `id` 1): its IATI organisation identifier (the
 * `reporting-org/@ref`, prefix of every generated `iati-identifier`), its name, its IATI
 * OrganisationType code (e.g. `40` multilateral), the default language of entry (ISO 639-1) and
 * the default currency (ISO 4217). Required before any IATI export (issue 16).
 */
@Check('CHK_iati_publisher_single_row', '"id" = 1')
@Entity({ name: 'iati_publisher' })
export class IatiPublisherEntity {
  @PrimaryColumn({ type: 'smallint', default: 1 }) id: number;
  @Column({ type: 'varchar', length: 100 }) organisationIdentifier: string;
  @Column({ type: 'varchar', length: 300 }) organisationName: string;
  @Column({ type: 'varchar', length: 10 }) organisationType: string;
  @Column({ type: 'char', length: 2, default: 'en' }) defaultLanguage: string;
  @Column({ type: 'char', length: 3, default: 'USD' }) defaultCurrency: string;
  @Column({ type: 'uuid', nullable: true }) updatedById: string | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}
