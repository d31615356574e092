import { act, render, screen } from '@testing-library/react';
import { useRef } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientFrame, ServerFrame } from '@/lib/ws-frames';
import type { WsClient } from '@/lib/ws-client';
import { alice, bob, carol, makeLock } from '@/testing/fixtures';
import { LiveCursors } from './live-cursors';

function fakeSocket() {
  const listeners = new Set<(f: ServerFrame) => void>();
  const sent: ClientFrame[] = [];
  const socket = {
    send: vi.fn((f: ClientFrame) => {
      sent.push(f);
      return true;
    }),
    subscribe: (l: (f: ServerFrame) => void) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
  return {
    socket: socket as unknown as WsClient,
    sent,
    push: (f: ServerFrame) => act(() => listeners.forEach((l) => l(f))),
  };
}

function Harness({ socket }: { socket: WsClient }) {
  const ref = useRef<HTMLDivElement>(null);
  return (
    <div ref={ref} data-testid="container">
      <div data-testid="outside">buttons</div>
      <form aria-label="Appointment">
        <input aria-label="Title" />
      </form>
      <LiveCursors appointmentId="a1" containerRef={ref} socket={socket} userId={carol.id} />
    </div>
  );
}

const rect = (left: number, top: number, width: number, height: number) =>
  ({ left, top, width, height, right: left + width, bottom: top + height, x: left, y: top }) as DOMRect;

describe('LiveCursors', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    vi.spyOn(HTMLFormElement.prototype, 'getBoundingClientRect').mockReturnValue(rect(100, 100, 400, 200));
    vi.spyOn(HTMLDivElement.prototype, 'getBoundingClientRect').mockReturnValue(rect(100, 40, 400, 260));
  });
  afterEach(() => vi.useRealTimers());

  const move = (el: Element, clientX: number, clientY: number) =>
    el.dispatchEvent(new MouseEvent('pointermove', { bubbles: true, clientX, clientY }));

  it('sends the pointer as fractions of the form, at most 20 a second, nothing outside the form', () => {
    const { socket, sent } = fakeSocket();
    render(<Harness socket={socket} />);
    const form = screen.getByRole('form', { name: 'Appointment' });
    move(form, 300, 150);
    expect(sent).toEqual([{ type: 'cursor', x: 0.5, y: 0.25 }]);

    for (let i = 0; i < 100; i++) {
      move(form, 100 + i * 4, 200); // one move every 10 ms for a second
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(100);
    expect(sent.length).toBeLessThanOrEqual(21);
    expect(sent.at(-1)).toEqual({ type: 'cursor', x: 0.99, y: 0.5 });

    const before = sent.length;
    move(screen.getByTestId('outside'), 150, 60); // over the buttons, above the form
    vi.advanceTimersByTime(200);
    expect(sent.length).toBe(before);
  });

  it('draws other viewers with a name tag, "editing" on the holder, and drops those who leave', async () => {
    const { socket, push } = fakeSocket();
    render(<Harness socket={socket} />);
    const presence = [alice, bob, carol].map((u, i) => ({
      userId: u.id,
      name: u.name,
      email: u.email,
      role: u.role,
      sessionId: `s-${i}`,
      color: '#0891b2',
    }));
    push({
      seq: 1,
      type: 'snapshot',
      serverTime: 'x',
      lock: makeLock(alice, 's-0'),
      appointment: { id: 'a1', version: 1 },
      presence,
      cursors: [],
      queue: [],
    });
    push({
      seq: 2,
      type: 'cursors',
      cursors: [
        { userId: alice.id, sessionId: 's-0', name: alice.name, color: '#0891b2', x: 0.5, y: 0.5 },
        { userId: bob.id, sessionId: 's-1', name: bob.name, color: '#e11d48', x: 0.1, y: 0.9 },
      ],
    });
    const tags = screen.getAllByTestId('live-cursor-tag');
    expect(tags.map((t) => t.textContent)).toEqual([`${alice.name}· editing`, bob.name]);
    expect(tags[1]).toHaveStyle({ backgroundColor: '#e11d48' }); // dark enough for white text already
    expect(tags[0]).not.toHaveStyle({ backgroundColor: '#0891b2' }); // too light: darkened, same hue

    push({ seq: 3, type: 'presence', presence: presence.filter((v) => v.sessionId !== 's-1') });
    await act(() => vi.advanceTimersByTimeAsync(1000)); // the exit animation
    expect(screen.getAllByTestId('live-cursor-tag').map((t) => t.textContent)).toEqual([
      `${alice.name}· editing`,
    ]);
  });
  // Last: the pointers it draws leave motion's frame loop waiting on a faked animation frame.
  it('reads the layout on resize, not on every cursor frame', () => {
    const { socket, push } = fakeSocket();
    render(<Harness socket={socket} />);
    const measured = vi.mocked(HTMLFormElement.prototype.getBoundingClientRect);
    const before = measured.mock.calls.length;
    for (let i = 0; i < 20; i++)
      push({
        seq: i + 1,
        type: 'cursors',
        cursors: [{ userId: bob.id, sessionId: 's-1', name: bob.name, color: '#e11d48', x: i / 20, y: 0.5 }],
      });
    // The first frame draws Bob's pointer (a new node: checked once for a swapped form); the rest read nothing.
    expect(measured.mock.calls.length - before).toBe(0);
    act(() => void window.dispatchEvent(new Event('resize')));
    expect(measured.mock.calls.length - before).toBe(1);
  });
});
