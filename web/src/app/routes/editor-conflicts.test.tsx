import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi } from '@/testing/mock-api';
import { renderWithApp } from '@/testing/render';
import { EditorConflicts } from './editor-conflicts';

const overlap = {
  id: 'a2',
  title: 'Cleaning',
  startsAt: '2026-11-29T09:15:00.000Z',
  endsAt: '2026-11-29T09:45:00.000Z',
  location: 'Room 1',
};
const slot = {
  startsAt: '2026-11-29T09:00:00.000Z',
  endsAt: '2026-11-29T09:30:00.000Z',
  location: 'Room 1',
  excludeId: 'a1',
};

describe('EditorConflicts', () => {
  it('checks the edited time and location, excluding the appointment itself, and warns', async () => {
    const api = mockApi()
      .on('GET /api/config', { status: 200, body: { timeZone: 'UTC', demo: false } })
      .on('GET /api/conflicts', { status: 200, body: { conflicts: [overlap] } });
    renderWithApp(<EditorConflicts {...slot} saved={null} />);
    expect(await screen.findByText('Cleaning', {}, { timeout: 3000 })).toBeInTheDocument();
    const q = new URL(api.callsTo('GET /api/conflicts')[0]!.path, 'http://x').searchParams;
    expect(Object.fromEntries(q)).toEqual({ ...slot });
    expect(screen.getByTestId('conflict-warning')).toHaveTextContent('overlaps this time');
  });

  it("after a save shows the save's answer, saying it was saved", async () => {
    mockApi()
      .on('GET /api/config', { status: 200, body: { timeZone: 'UTC', demo: false } })
      .on('GET /api/conflicts', { status: 200, body: { conflicts: [] } });
    renderWithApp(<EditorConflicts {...slot} saved={[overlap]} />);
    expect(await screen.findByText(/^Saved\. Another appointment in Room 1 overlaps/)).toBeInTheDocument();
    expect(screen.getByText('Cleaning')).toBeInTheDocument();
  });
});
