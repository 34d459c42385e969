/** Saves `text` as a file the person chooses where to keep (the browser's or Electron's download). */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a value as JSON, e.g. a trace's OTLP JSON to import into Jaeger, Tempo, Phoenix, ... */
export function downloadJson(fileName: string, value: unknown): void {
  downloadText(fileName, JSON.stringify(value, null, 2), 'application/json');
}

/** Names Windows keeps for devices, whatever their extension: "CON.md" is not a file it will write. */
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

/**
 * A file name from a title: what file systems refuse, spaces and control characters become dashes; leading and
 * trailing dots go (a name of dots is no name, one ending in a dot loses it on Windows); a device name is kept
 * from being one.
 */
export function fileNameOf(title: string, fallback: string): string {
  const name = title
    .replace(/[\\/:*?"<>|\s\p{Cc}]+/gu, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/, '');
  if (!name) return fallback;
  return WINDOWS_DEVICES.test(name) ? `${name}-` : name;
}
