import { Badge } from '@/components/ui/badge';
import type { AppointmentStatus } from '@/lib/api/models';

const tone = { scheduled: 'blue', confirmed: 'green', cancelled: 'red' } as const;

export function StatusBadge({ status }: { status: AppointmentStatus }) {
  return <Badge tone={tone[status]}>{status[0]!.toUpperCase() + status.slice(1)}</Badge>;
}
