/**
 * React 18: the @lit/react wrappers from `@relais/sdk/react`, because React 18 neither sets
 * properties nor forwards custom events on custom elements. Same page contract as react19.tsx.
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { configure } from '../../sdk/src/elements';
import { createRelaisComponents } from '../../sdk/src/elements/react';

const { RelaisInbox, RelaisHotLeads } = createRelaisComponents(React);
const root = document.getElementById('root') as HTMLElement;
const { relais = '', tokenUrl = '/relais-token' } = root.dataset;
configure({
  baseUrl: relais,
  getToken: async () => ((await (await fetch(tokenUrl)).json()) as { token: string }).token,
});

function WorkPage() {
  const [opened, setOpened] = React.useState('');
  return (
    <main>
      <p id="opened">{opened}</p>
      <RelaisInbox
        onOpen={(event) => setOpened((event.detail as { interaction: { title: string } }).interaction.title)}
      />
      <RelaisHotLeads limit={5} />
    </main>
  );
}

createRoot(root).render(<WorkPage />);
