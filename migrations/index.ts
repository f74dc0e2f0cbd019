import { InitialSchema1764400000000 } from './1764400000000-InitialSchema.js';
import { AuthSessions1764500000000 } from './1764500000000-AuthSessions.js';
import { SessionReuseAndAssignmentShape1764600000000 } from './1764600000000-SessionReuseAndAssignmentShape.js';
import { SigningSecret1764601000000 } from './1764601000000-SigningSecret.js';
import { SessionGeneration1764602000000 } from './1764602000000-SessionGeneration.js';
import { ReportReach1764603000000 } from './1764603000000-ReportReach.js';
import { ReportSuperseded1764713000000 } from './1764713000000-ReportSuperseded.js';
import { IatiExport1764916000000 } from './1764916000000-IatiExport.js';
import { ReportFileRenderer1765000000000 } from './1765000000000-ReportFileRenderer.js';
import { QuarterNarrative1765100000000 } from './1765100000000-QuarterNarrative.js';
import { ReportInputStamps1765500000000 } from './1765500000000-ReportInputStamps.js';
import { ReportFileLanguage1765600000000 } from './1765600000000-ReportFileLanguage.js';
import { ReportInputStampsAtCommit1765800000000 } from './1765800000000-ReportInputStampsAtCommit.js';
import { AuthStamp1765900000000 } from './1765900000000-AuthStamp.js';
import { ActualSeriesChangesIndex1765950000000 } from './1765950000000-ActualSeriesChangesIndex.js';
import { LogframeReadHeadFunction1766000000000 } from './1766000000000-LogframeReadHeadFunction.js';

/** Every migration, in order. The schema's only source (`synchronize` is off). */
export const ALL_MIGRATIONS: (new () => object)[] = [
  InitialSchema1764400000000,
  AuthSessions1764500000000,
  SessionReuseAndAssignmentShape1764600000000,
  SigningSecret1764601000000,
  SessionGeneration1764602000000,
  ReportReach1764603000000,
  ReportSuperseded1764713000000,
  IatiExport1764916000000,
  ReportFileRenderer1765000000000,
  QuarterNarrative1765100000000,
  ReportInputStamps1765500000000,
  ReportFileLanguage1765600000000,
  ReportInputStampsAtCommit1765800000000,
  AuthStamp1765900000000,
  ActualSeriesChangesIndex1765950000000,
  LogframeReadHeadFunction1766000000000,
];
