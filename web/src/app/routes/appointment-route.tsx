import { useParams } from 'react-router';
import { useAuthStore } from '@/features/auth';
import { AppointmentEditorPage } from '@/features/edit-lock';
import { LiveCursors } from '@/features/live-cursors';
import { EditorConflicts } from './editor-conflicts';

/** The app layer composes features: the editor with the cursor overlay on top and the overlap check. */
export function AppointmentRoute() {
  const { id = '' } = useParams();
  const me = useAuthStore((s) => s.user);
  if (!me) return null;
  return (
    <AppointmentEditorPage
      key={id}
      appointmentId={id}
      me={me}
      Overlay={LiveCursors}
      Conflicts={EditorConflicts}
    />
  );
}
