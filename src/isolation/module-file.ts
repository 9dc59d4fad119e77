import { InvalidComponentError } from '../core/errors';
import { getComponentMeta } from '../core/metadata';

/**
 * The module file the host loads an isolated resource class from: the CommonJS module that
 * exports this very class (found in `require.cache`, so it is the file Node really loaded, even
 * under source maps), else the file where its decorator ran.
 * @throws InvalidComponentError when neither is known.
 */
export function moduleFileOf(cls: Function): string {
  for (const m of Object.values(require.cache)) {
    const exports = m?.exports as Record<string, unknown> | undefined;
    if (exports && (exports[cls.name] === cls || exports.default === cls)) return m!.filename;
  }
  const file = getComponentMeta(cls)?.moduleFile;
  if (file === undefined) {
    throw new InvalidComponentError(`Isolated resource ${cls.name}: the file that declares it is unknown (stack traces disabled?). ` +
      'Declare it in its own module file and export it, so that its host can load it.');
  }
  return file;
}
