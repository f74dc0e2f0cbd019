import { Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A bordered section of a page: a level-2 heading, an optional explanation, then its content. */
export function SectionCard({
  title,
  description,
  children,
}: {
  title?: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md">
      {title && (
        <Title order={2} size="h4" mb={description ? 'xs' : 'sm'}>
          {title}
        </Title>
      )}
      {description && (
        <Text size="sm" mb="sm">
          {description}
        </Text>
      )}
      {children}
    </Paper>
  );
}
