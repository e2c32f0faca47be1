// Providers and routes: the drive at "/" and "/folders/:folderId", the user's share links, the
// trash, the public page of a share link, and the two account pages. Toasts outlive pages.
import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { queryClient } from './api/query-client.ts';
import { Toasts } from './components/toasts.tsx';
import { DrivePage } from './pages/drive-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { PublicSharePage } from './pages/public-share-page.tsx';
import { RegisterPage } from './pages/register-page.tsx';
import { SharesPage } from './pages/shares-page.tsx';
import { TrashPage } from './pages/trash-page.tsx';

const router = createBrowserRouter([
  { path: '/', element: <DrivePage /> },
  { path: '/folders/:folderId', element: <DrivePage /> },
  { path: '/shares', element: <SharesPage /> },
  { path: '/trash', element: <TrashPage /> },
  { path: '/s/:token', element: <PublicSharePage /> },
  { path: '/login', element: <LoginPage /> },
  { path: '/register', element: <RegisterPage /> },
  { path: '*', element: <Navigate to="/" replace /> },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
      <Toasts />
    </QueryClientProvider>
  );
}
