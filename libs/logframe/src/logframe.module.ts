import { Module } from '@nestjs/common';
import { LogframeReader } from './logframe.reader.js';

@Module({ providers: [LogframeReader], exports: [LogframeReader] })
export class LogframeModule {}
