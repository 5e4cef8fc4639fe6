export { OrtDemandModel, type OrtDemandModelOptions } from './ort-demand-model';
