/** The NATS JetStream pipeline base and its publisher helper. `nats` is loaded at their first use, not by this import. */
export { JetStreamPipeline, type JetStreamPipelineOptions } from './jetstream-pipeline';
export { publishToJetStream, type PublishToJetStreamOptions } from './publish-to-jetstream';
