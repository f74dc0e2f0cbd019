import { DirectionProvider, MantineProvider, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider, createBrowserRouter } from 'react-router';
import { isRtl } from './i18n';
import i18n from './i18n';
import { AppLayout } from './layout/app-layout';
import { ProjectsPage } from './features/projects/projects-page';
import { ProjectPage } from './features/project/project-page';
import { NotFoundPage } from './layout/not-found-page';

const theme = createTheme({
  primaryColor: 'blue',
  fontFamily: 'system-ui, "Noto Sans", "Noto Sans Arabic", sans-serif',
  headings: { fontFamily: 'system-ui, "Noto Sans", "Noto Sans Arabic", sans-serif' },
});

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 10_000 } },
});

const router = createBrowserRouter(
  [
    {
      path: '/',
      element: <AppLayout />,
      children: [
        { index: true, element: <ProjectsPage /> },
        { path: 'projects', element: <ProjectsPage /> },
        { path: 'projects/:projectId', element: <ProjectPage /> },
        { path: 'projects/:projectId/:tab', element: <ProjectPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ],
  { basename: '/app' },
);

/** Providers: direction (follows the language), Mantine, TanStack Query, the router. */
export function Root() {
  return (
    <DirectionProvider initialDirection={isRtl(i18n.language) ? 'rtl' : 'ltr'} detectDirection>
      <MantineProvider theme={theme}>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
