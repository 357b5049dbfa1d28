/** The statements of the run event log. */
export const EVENT_SQL = {
  append: `INSERT INTO run_events (run_id, seq, event, data)
           SELECT $1::uuid, s, e, d FROM unnest($2::int[], $3::text[], $4::jsonb[]) AS t(s, e, d)`,
  after: `SELECT seq, event, data FROM run_events WHERE run_id = $1::uuid AND seq > $2 ORDER BY seq LIMIT $3`,
  last: "SELECT COALESCE(MAX(seq), 0)::int AS seq FROM run_events WHERE run_id = $1::uuid",
} as const;

export interface RunEvent {
  seq: number;
  event: string;
  data: unknown;
}
