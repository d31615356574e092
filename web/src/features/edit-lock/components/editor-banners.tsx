import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import type { User } from '@/lib/api/models';
import type { EditorLock } from '../hooks/use-editor-lock';
import { controlAnswerText } from '../lib/control-answer';
import { useLockStore } from '../stores/lock-store';
import { Countdown } from './countdown';
import { HeldByOtherBanner, OfferBanner, OtherTabBanner, TakenOverBanner } from './lock-banner';

/** What the lock means for this person right now, above the form. */
export function EditorBanners({ editor, me }: { editor: EditorLock; me: User }) {
  const { lock, mode, acquire } = editor;
  const takeover = useLockStore((s) => s.takeover);
  const controlRequest = useLockStore((s) => s.controlRequest);
  const controlAnswer = useLockStore((s) => s.controlAnswer);
  const offer = useLockStore((s) => s.offer);
  const myControlRequest = controlRequest && controlRequest.by.userId === me.id ? controlRequest : null;
  const myControlAnswer = controlAnswer && controlAnswer.by?.userId === me.id ? controlAnswer : null;

  return (
    <>
      {takeover?.previousHolder?.userId === me.id && mode !== 'mine' && (
        <TakenOverBanner byName={takeover.by?.name ?? 'An admin'} />
      )}

      {mode === 'other' && lock && (
        <HeldByOtherBanner lock={lock}>
          {myControlRequest ? (
            <Badge tone="amber" className="py-1">
              <Spinner className="size-3" />
              You asked for control · waiting for {lock.userInfo.name}&apos;s answer ·{' '}
              <Countdown until={myControlRequest.deadline} className="font-mono tabular-nums" />
            </Badge>
          ) : (
            myControlAnswer?.kind === 'declined' && (
              <Badge tone="red" className="py-1">
                {controlAnswerText(myControlAnswer)}
              </Badge>
            )
          )}
        </HeldByOtherBanner>
      )}
      {mode === 'free' && offer && <OfferBanner offer={offer} mine={offer.userId === me.id} />}
      {mode === 'other-tab' && (
        <OtherTabBanner>
          <Button
            size="sm"
            variant="primary"
            loading={acquire.isPending && acquire.variables?.moveHere}
            onClick={() => acquire.mutate({ moveHere: true })}
          >
            Edit here
          </Button>
        </OtherTabBanner>
      )}

      {mode === 'mine' && myControlAnswer && myControlAnswer.kind !== 'declined' && (
        <p
          className="rounded-lg bg-violet-50 px-4 py-3 text-sm text-violet-950 ring-1 ring-violet-300"
          data-testid="control-answer"
        >
          {controlAnswerText(myControlAnswer)}
        </p>
      )}
    </>
  );
}
