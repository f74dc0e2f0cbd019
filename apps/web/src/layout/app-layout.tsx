import {
  AppShell,
  Anchor,
  Button,
  Center,
  Container,
  Group,
  Loader,
  Modal,
  NativeSelect,
  Paper,
  Text,
  Title,
} from '@mantine/core';
import { useDirection } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { resumeSession, signOut } from '../auth/session';
import { SignInForm } from '../auth/sign-in-form';
import { useSession } from '../auth/use-session';
import { LANGUAGES, isRtl, readPrefs, writePrefs } from '../i18n';
import { useMe } from './use-me';

/**
 * The frame of every page: top bar (projects, language, digits, user, sign out), the page, and the
 * sign-in dialog over the page when the session ends (the page stays mounted, so unsaved edits survive).
 */
export function AppLayout() {
  const { t, i18n } = useTranslation();
  const { status } = useSession();
  const { setDirection } = useDirection();
  const queryClient = useQueryClient();
  const me = useMe(status === 'signedIn');

  useEffect(() => {
    void resumeSession();
  }, []);
  useEffect(() => {
    setDirection(isRtl(i18n.language) ? 'rtl' : 'ltr');
  }, [i18n.language, setDirection]);

  const language = (
    <NativeSelect
      aria-label={t('nav.language')}
      size="xs"
      value={i18n.language}
      data={LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
      onChange={(e) => {
        const lng = e.currentTarget.value as (typeof LANGUAGES)[number];
        writePrefs({ language: lng });
        void i18n.changeLanguage(lng);
      }}
    />
  );

  if (status === 'starting')
    return (
      <Center h="100vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );

  if (status === 'signedOut')
    return (
      <Container size={420} py={80}>
        <main>
          <Group justify="space-between" mb="md">
            <Title order={1} size="h2">
              {t('app.name')}
            </Title>
            {language}
          </Group>
          <Paper withBorder p="lg" radius="md">
            <Title order={2} size="h4" mb="md">
              {t('signIn.title')}
            </Title>
            <SignInForm />
          </Paper>
        </main>
      </Container>
    );

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Anchor component={Link} to="/projects" fw={700} c="inherit" underline="never">
              {t('app.name')}
            </Anchor>
            <nav aria-label={t('nav.main')}>
              <Anchor component={Link} to="/projects">
                {t('nav.projects')}
              </Anchor>
            </nav>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {language}
            {i18n.language === 'ar' && (
              <NativeSelect
                aria-label={t('nav.digits')}
                size="xs"
                value={readPrefs().arabicIndicDigits ? 'arab' : 'latn'}
                data={[
                  { value: 'latn', label: t('nav.digitsLatin') },
                  { value: 'arab', label: t('nav.digitsArabic') },
                ]}
                onChange={(e) => {
                  writePrefs({ arabicIndicDigits: e.currentTarget.value === 'arab' });
                  void i18n.changeLanguage(i18n.language);
                  void queryClient.invalidateQueries();
                }}
              />
            )}
            {me.data && (
              <Text size="sm" visibleFrom="sm">
                {me.data.displayName}
              </Text>
            )}
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                void signOut().then(() => queryClient.clear());
              }}
            >
              {t('nav.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      {/* AppShell.Main is the page's one <main> landmark. */}
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      <Modal
        opened={status === 'expired'}
        onClose={() => undefined}
        withCloseButton={false}
        closeOnClickOutside={false}
        closeOnEscape={false}
        title={t('signIn.expiredTitle')}
      >
        <Text size="sm" mb="md">
          {t('signIn.expiredBody')}
        </Text>
        <SignInForm />
      </Modal>
    </AppShell>
  );
}
