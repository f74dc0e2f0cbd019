import { Module } from '@nestjs/common';
import { LogframeReader } from './logframe.reader.js';
import { ProjectRepository } from './project.repository.js';

@Module({ providers: [LogframeReader, ProjectRepository], exports: [LogframeReader, ProjectRepository] })
export class LogframeModule {}
