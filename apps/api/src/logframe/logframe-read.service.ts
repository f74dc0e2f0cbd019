import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { AuthUser } from '#libs/auth';
import { AppConfig } from '#libs/config';
import { LogframeService } from '#libs/logframe';
import { toLogframeResponse } from './logframe.mapper.js';

/** The answer to a logframe read: its entity tag, and the serialised JSON unless the caller's copy is current. */
export interface LogframeReadAnswer {
  /** Strong entity tag, quoted (`"<revision number>.<revision version>.<series stamp>"`). */
  etag: string;
  /** The JSON body as UTF-8 bytes (sent as they are); null when `If-None-Match` names `etag` (answer 304). */
  body: Buffer | null;
}

/** True when an `If-None-Match` header value names `etag` (a list, `*`, and weak tags compare as equal). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * GET /projects/:id/logframe as bytes: one statement checks the caller's reach on the project and finds
 * the revision and its series stamp (never the snapshot; LogframeService.readStateFor), a matching
 * `If-None-Match` ends there (304), and the serialised JSON (UTF-8 bytes) of approved and
 * superseded revisions (whose rows never change) is kept in this process under revision id + entity
 * tag, bounded by LOGFRAME_CACHE_MB (least recently used out first). A working copy is rebuilt on each
 * read. Each API process has its own cache; a changed tag simply misses (RULES.md, "Several processes").
 */
@Injectable()
export class LogframeReadService {
  private readonly cache: LRUCache<string, Buffer> | null;

  constructor(
    private readonly logframes: LogframeService,
    config: AppConfig,
  ) {
    this.cache =
      config.LOGFRAME_CACHE_MB > 0
        ? new LRUCache<string, Buffer>({
            maxSize: config.LOGFRAME_CACHE_MB * 1024 * 1024,
            sizeCalculation: (body) => Math.max(1, body.length),
          })
        : null;
  }

  /**
   * The logframe `user` may read (policy `project.read` first; donors, acting only as donors, get
   * approved revisions only) at `revision`.
   * @param ifNoneMatch the request's `If-None-Match` header
   * @throws DomainException not_found when the project is outside the caller's scope or there is no
   * such revision (see LogframeService.read)
   */
  async read(
    user: AuthUser,
    projectId: string,
    revision: 'latest' | 'approved' | number,
    ifNoneMatch?: string,
  ): Promise<LogframeReadAnswer> {
    const state = await this.logframes.readStateFor(user, projectId, revision);
    if (ifNoneMatchHits(ifNoneMatch, state.etag)) return { etag: state.etag, body: null };
    const cacheable = state.revision.status === 'approved' || state.revision.status === 'superseded';
    const key = `${state.revision.id}:${state.etag}`;
    const cached = cacheable ? this.cache?.get(key) : undefined;
    if (cached !== undefined) return { etag: state.etag, body: cached };
    const body = Buffer.from(JSON.stringify(toLogframeResponse(await this.logframes.document(state))));
    if (cacheable) this.cache?.set(key, body);
    return { etag: state.etag, body };
  }
}
