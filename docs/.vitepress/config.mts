import { defineConfig } from 'vitepress';

// The site of docs/ (`npm run docs:build`). The API reference is markdown that TypeDoc
// (typedoc-plugin-markdown, typedoc-vitepress-theme) writes with `npm run docs` into docs/api,
// rendered as pages under /api/ and searched like the others; the build runs TypeDoc first, so
// links from the pages into it, and within it, are checked like any other (dead links fail the build).
export default defineConfig({
  title: 'Minions for TypeScript',
  description: 'Single-process runtime for pipelines, durable step workflows and shared resources',
  cleanUrls: false,
  lastUpdated: false,
  // Default, stated: a link to a page or file that does not exist fails the build.
  ignoreDeadLinks: false,
  srcExclude: ['**/README.md'],
  // The local search index holds the API reference too (about 1.5 MB, loaded when the search box
  // opens, not with the pages): above Vite's 500 kB advice, which would warn on every build.
  vite: { build: { chunkSizeWarningLimit: 2500 } },
  themeConfig: {
    search: { provider: 'local' },
    outline: [2, 3],
    nav: [
      { text: 'Guide', link: '/getting-started' },
      { text: 'Reference', link: '/reference/configuration' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: [
      { text: 'Introduction', items: [
        { text: 'Minions', link: '/' },
        { text: 'Getting started', link: '/getting-started' },
      ] },
      { text: 'How-to', items: [
        { text: 'Run your first minion', link: '/how-to/run-your-first-minion' },
        { text: 'Write a custom resource', link: '/how-to/write-a-custom-resource' },
        { text: 'Integrate with the CLI', link: '/how-to/integrate-with-the-cli' },
      ] },
      { text: 'Concepts', items: [
        { text: 'Overview', link: '/concepts/overview' },
        { text: 'Minions', link: '/concepts/minions' },
        { text: 'Pipelines', link: '/concepts/pipelines' },
        { text: 'Resources', link: '/concepts/resources' },
        { text: 'State and persistence', link: '/concepts/state-and-persistence' },
        { text: 'Concurrency and backpressure', link: '/concepts/concurrency-and-backpressure' },
        { text: 'Startup forms', link: '/concepts/startup-forms' },
        { text: 'Project structure', link: '/concepts/project-structure' },
        { text: 'Portability', link: '/concepts/portability' },
        { text: 'Identity and configuration', link: '/concepts/identity-and-config' },
        { text: 'Component lifecycle', link: '/concepts/component-lifecycle' },
        { text: 'Infrastructure ports', link: '/concepts/infrastructure-ports' },
      ] },
      { text: 'Guides', items: [
        { text: 'Patterns and anti-patterns', link: '/guides/patterns-and-anti-patterns' },
        { text: 'Testing minions', link: '/guides/testing-minions' },
        { text: 'Deployment strategies', link: '/guides/deployment-strategies' },
        { text: 'Scale-out strategies', link: '/guides/scale-out-strategies' },
        { text: 'Migrating to microservices', link: '/guides/migrating-to-microservices' },
        { text: 'Operating with metrics', link: '/guides/operating-with-metrics' },
        { text: 'Operating a live process', link: '/guides/operating' },
      ] },
      { text: 'Advanced', items: [
        { text: 'Sidecar resources', link: '/advanced/sidecar-resources' },
        { text: 'Minimal installs', link: '/advanced/minimal-installs' },
        { text: 'Performance', link: '/performance' },
      ] },
      { text: 'Reference', items: [
        { text: 'CLI', link: '/reference/cli' },
        { text: 'Configuration', link: '/reference/configuration' },
        { text: 'Metrics', link: '/reference/metrics' },
        { text: 'Error codes', link: '/reference/errors' },
        { text: 'API (TypeDoc)', link: '/api/' },
      ] },
    ],
  },
});
