import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ReviewCommentEntity } from '#libs/database';

/** A review comment to write: on the revision (no element) or on one element by stable id. */
export type ReviewCommentInsert = Pick<
  ReviewCommentEntity,
  'projectId' | 'revisionId' | 'authorId' | 'body' | 'elementType' | 'elementStableId'
>;

/** Review comments of logframe revisions (`review_comment`): repository layer. */
@Injectable()
export class ReviewCommentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes the comments (one statement). */
  async insert(comments: ReviewCommentInsert[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (comments.length) await manager.getRepository(ReviewCommentEntity).insert(comments);
  }

  /** Comments on a project's revisions, oldest first. */
  listForProject(projectId: string, manager: EntityManager = this.dataSource.manager): Promise<ReviewCommentEntity[]> {
    return manager.getRepository(ReviewCommentEntity).find({ where: { projectId }, order: { createdAt: 'ASC' } });
  }
}
