import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The one "Remove" button of lists and cards; `name` (e.g. the element's code) makes its accessible
 * name unique ("Remove OP1.2") where several sit on one page.
 */
export function RemoveButton({ name, onClick }: { name?: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      color="red.9"
      onClick={onClick}
      aria-label={name ? t('logframe.removeNamed', { code: name }) : undefined}
    >
      {t('common.remove')}
    </Button>
  );
}
