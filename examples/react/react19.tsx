/**
 * React 19: the Relais elements used as they are, in JSX (typed by relais-jsx.d.ts).
 * The page gives the Relais origin, the token route of its backend and the person to show:
 * `<div id="root" data-relais="https://relais…" data-token-url="/relais-token" data-person-id="…">`.
 */
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { configure, defineAll } from '../../sdk/src/elements';

const root = document.getElementById('root') as HTMLElement;
const { relais = '', tokenUrl = '/relais-token', personId = '' } = root.dataset;
defineAll();
configure({
  baseUrl: relais,
  getToken: async () => ((await (await fetch(tokenUrl)).json()) as { token: string }).token,
});

function ClientPage() {
  const [opened, setOpened] = useState('');
  return (
    <main>
      <p id="opened">{opened}</p>
      <relais-lead-score person-id={personId} />
      <relais-timeline
        person-id={personId}
        onrelais-open={(event) => setOpened(String((event.detail as { item: { id: string } }).item.id))}
      />
    </main>
  );
}

createRoot(root).render(<ClientPage />);
