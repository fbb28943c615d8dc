// Where a V8 CPU profile's frame comes from, as the profile tools print it: the npm package, the
// platform's or the service's module, the Node.js module, or `(name)` for native frames.
export function where(frame) {
  const url = frame.url;
  if (url === '') return `(${frame.functionName || 'native'})`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0)
    return url
      .slice(modules + 14)
      .split('/')
      .slice(0, url.slice(modules + 14).startsWith('@') ? 2 : 1)
      .join('/');
  const platform = url.indexOf('/packages/platform/dist/');
  if (platform >= 0) return `platform/${url.slice(platform + 24)}`;
  const service = url.indexOf('/packages/service/dist/');
  if (service >= 0) return `service/${url.slice(service + 23)}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url.replace(/^file:\/\/.*\/bench\//, 'bench/');
}

/** A frame's function with where it is: `name module:line`. */
export const frameName = (frame) => `${frame.functionName || '(anonymous)'} ${where(frame)}:${frame.lineNumber + 1}`;
