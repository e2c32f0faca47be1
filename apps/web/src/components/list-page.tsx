// A signed-in page that holds one list (shares, trash): the header, its title, an optional note,
// and the list in a card.
import type { ReactNode } from 'react';
import { AppHeader } from './app-header.tsx';
import { RequireUser } from './require-user.tsx';

interface ListPageProps {
  title: string;
  note?: ReactNode;
  children: ReactNode;
}

export function ListPage({ title, note, children }: ListPageProps) {
  return (
    <RequireUser>
      {(user) => (
        <div className="drive">
          <AppHeader user={user} />
          <main className="drive-main">
            <div className="toolbar">
              <h1>{title}</h1>
            </div>
            {note}
            <section className="card">{children}</section>
          </main>
        </div>
      )}
    </RequireUser>
  );
}
