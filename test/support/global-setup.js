/**
 * Jest global setup: the whole suite runs with TZ=Asia/Kathmandu (UTC+05:45, a zone with a
 * non-hour offset), so any code that turns calendar dates into local-midnight instants fails a test.
 */
export default function globalSetup() {
  process.env.TZ = 'Asia/Kathmandu';
}
