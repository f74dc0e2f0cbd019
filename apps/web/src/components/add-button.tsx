import { Button, Group } from '@mantine/core';

/** The light "add …" button under a list of the logframe editor, on a row of its own. */
export function AddButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Group>
      <Button size="xs" variant="light" onClick={onClick}>
        {label}
      </Button>
    </Group>
  );
}
