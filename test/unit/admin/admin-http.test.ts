import { isLoopbackHost } from '../../../src/admin/admin-options';
import { bearerMatches } from '../../../src/admin/admin-token';
import { errorBody, httpStatusOf, HttpError } from '../../../src/admin/http-errors';
import { matchRoute } from '../../../src/admin/routes';
import {
  ConfigError, GruShutDownError, InvalidArgumentError, OrchestrationNotFoundError, OrchestrationStartError, ResourceCycleError,
  WorkflowContextTypeMismatchError, WorkflowNotFoundError,
} from '../../../src/core/errors';

describe('admin HTTP calculations', () => {
  it('maps MinionsError codes to HTTP statuses', () => {
    expect(httpStatusOf(new InvalidArgumentError('bad'))).toBe(400);
    expect(httpStatusOf(new ConfigError('bad config'))).toBe(400);
    expect(httpStatusOf(new ResourceCycleError(['A', 'B', 'A']))).toBe(400);
    expect(httpStatusOf(new OrchestrationNotFoundError('o'))).toBe(404);
    expect(httpStatusOf(new WorkflowNotFoundError('w'))).toBe(404);
    expect(httpStatusOf(new WorkflowContextTypeMismatchError('changed', 1))).toBe(409);
    expect(httpStatusOf(new GruShutDownError())).toBe(503);
    expect(httpStatusOf(new OrchestrationStartError('failed', new RangeError('x')))).toBe(500);
    expect(httpStatusOf(new TypeError('x'))).toBe(500);
    expect(httpStatusOf(new HttpError(413, 'PayloadTooLarge', 'big'))).toBe(413);
  });

  it('gives every error body a code, a type and a message', () => {
    expect(errorBody(new WorkflowNotFoundError('w1'))).toEqual({ error: { code: 'MINIONS_WORKFLOW_NOT_FOUND', type: 'WorkflowNotFoundError', message: 'No saved workflow has id w1.' } });
    expect(errorBody(new HttpError(405, 'MethodNotAllowed', 'no'))).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', type: 'MethodNotAllowed', message: 'no' } });
    expect(errorBody(new TypeError('t')).error).toEqual({ code: 'TYPE_ERROR', type: 'TypeError', message: 't' });
    expect(errorBody('a string').error.message).toBe('a string');
  });

  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.org', '128.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('accepts only the exact bearer token', () => {
    expect(bearerMatches('Bearer abc', 'abc')).toBe(true);
    expect(bearerMatches('bearer abc', 'abc')).toBe(true);
    expect(bearerMatches('Bearer abcd', 'abc')).toBe(false);
    expect(bearerMatches('Basic abc', 'abc')).toBe(false);
    expect(bearerMatches(undefined, 'abc')).toBe(false);
    expect(bearerMatches('Bearer ', 'abc')).toBe(false);
  });

  it('matches routes with URL-decoded ids, and lists the allowed methods of a known path', () => {
    const m = matchRoute('POST', '/resources/a%2Fb%3Ac/restart');
    expect(m.route?.path).toBe('/resources/:id/restart');
    expect(m.route && 'params' in m ? m.params : undefined).toEqual({ id: 'a/b:c' });
    expect(matchRoute('GET', '/workflows/w1')).toEqual({ route: undefined, allow: ['DELETE'] });
    expect(matchRoute('GET', '/nothing')).toEqual({ route: undefined, allow: [] });
    expect(() => matchRoute('DELETE', '/workflows/%E0%A4%A')).toThrow(HttpError);
  });
});
