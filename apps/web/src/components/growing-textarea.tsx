import { Textarea, type TextareaProps } from '@mantine/core';
import type { ComponentPropsWithoutRef, CSSProperties } from 'react';

type Props = Omit<TextareaProps, 'autosize' | 'minRows' | 'maxRows'> &
  Omit<ComponentPropsWithoutRef<'textarea'>, keyof TextareaProps> & { minRows?: number };

/**
 * A textarea that grows with its text through CSS (`field-sizing: content`) rather than Mantine's
 * autosizing, which measures every textarea with getComputedStyle on mount: a 60-indicator logframe
 * spent most of its first render in those forced layouts. `minRows` sets the height when empty.
 * Its direction follows its text (`dir="auto"`): an English statement in the Arabic page keeps its
 * final period at its end.
 */
export function GrowingTextarea({ minRows = 1, ...props }: Props) {
  return (
    <Textarea
      dir="auto"
      {...props}
      rows={minRows}
      classNames={{ input: 'growing-textarea' }}
      style={{ '--growing-min-rows': minRows } as CSSProperties}
    />
  );
}
