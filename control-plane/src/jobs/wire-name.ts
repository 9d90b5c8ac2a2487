// Task files are named like `still_01.jpg` in templates, but a name on the wire (an AssetRef's
// `name`) must be a field name: a letter, then letters, digits or `_`. The wire name drops the
// extension (the agent names scratch files `<name>.<ext>` from the media type, gpu-node's
// TaskFiles) and replaces anything else with `_`. Outputs a node reports are matched by it.
const FIELD = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export function wireName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  let name = stem.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z]/.test(name)) name = `f_${name}`;
  name = name.slice(0, 64);
  return FIELD.test(name) ? name : 'file';
}
