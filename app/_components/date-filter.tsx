import { isoToLocalInput, localInputToIso } from '../_lib/message-filters';

type TProps = { id: string; label: string; value: string; onChange: (iso: string) => void; isUpperBound?: boolean };

/** A local date-time picker whose value travels as an ISO instant (shareable across time zones). */
export function DateFilter({ id, label, value, onChange, isUpperBound = false }: TProps) {
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-xs font-medium text-muted">{label}</label>
      <input
        id={id}
        type="datetime-local"
        value={isoToLocalInput(value)}
        title={value || undefined}
        onChange={(e) => onChange(localInputToIso(e.target.value, { endOfMinute: isUpperBound }))}
        className="field w-[12.5rem]"
      />
    </div>
  );
}
