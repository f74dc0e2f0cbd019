import { Alert, Badge, Button, Group, Paper, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { CodeText } from '../../components/code-text';

interface Props {
  checklist: Schemas['ChecklistDto'] | undefined;
  loading: boolean;
  dirty: boolean;
  /** The revision cannot be edited (submitted, approved, or no edit right): a pass is not "ready to submit". */
  readOnly: boolean;
  onOpen: (elementId: string | null) => void;
}

/** The QA checklist beside the editor: "N to fix", each item opening its element. */
export function ChecklistPanel({ checklist, loading, dirty, readOnly, onOpen }: Props) {
  const { t } = useTranslation();
  const items = checklist ? [...checklist.blocking, ...checklist.warnings] : [];
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      className="checklist-panel"
      component="aside"
      aria-labelledby="checklist-title"
    >
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="checklist-title">
          {t('checklist.title')}
        </Title>
        {checklist &&
          (checklist.passed ? (
            <Badge color="green" variant="light" data-testid="checklist-state">
              ✓ {t(readOnly ? 'checklist.passedReadOnly' : 'checklist.passed')}
            </Badge>
          ) : (
            <Badge color="red.9" variant="filled" data-testid="checklist-state">
              {t('checklist.toFix', { count: checklist.blocking.length })}
            </Badge>
          ))}
      </Group>
      {dirty && (
        <Text size="xs" c="dimmed" mb="xs">
          {t('checklist.saveToRecheck')}
        </Text>
      )}
      {loading && !checklist && <Text size="sm">{t('common.loading')}</Text>}
      {checklist && items.length === 0 && (
        <Alert color="green" variant="light">
          {t('checklist.allGood')}
        </Alert>
      )}
      <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((item, n) => (
          <li key={`${item.rule}-${item.elementId ?? 'project'}-${n}`}>
            <UnstyledButton onClick={() => onOpen(item.elementId)} w="100%" p={4} style={{ borderRadius: 4 }}>
              <Group gap={6} wrap="nowrap" align="start">
                <Badge
                  size="xs"
                  color={item.severity === 'blocking' ? 'red' : 'yellow'}
                  variant="light"
                  style={{ flexShrink: 0 }}
                >
                  {t(`checklist.${item.severity}`)}
                </Badge>
                <Text size="xs">
                  {item.elementCode && (
                    <strong>
                      <CodeText>{item.elementCode}</CodeText>{' '}
                    </strong>
                  )}
                  {t(`checklistRules.${item.rule}`, { defaultValue: item.message, code: item.elementCode })}
                </Text>
              </Group>
            </UnstyledButton>
          </li>
        ))}
      </Stack>
      {checklist && !checklist.passed && (
        <Button
          size="compact-xs"
          variant="subtle"
          mt="xs"
          onClick={() => onOpen(checklist.blocking[0]?.elementId ?? null)}
        >
          {t('checklist.firstProblem')}
        </Button>
      )}
    </Paper>
  );
}
