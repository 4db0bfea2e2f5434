import { App } from 'cdktf';
import { awsShop } from './aws-shop/main';
import { awsThreeTier } from './aws-three-tier/main';
import { azureThreeTier } from './azure-three-tier/main';
import { gcpThreeTier } from './gcp-three-tier/main';
import { hostEstate } from './host-estate/main';
import { baselinePreset } from './baseline-preset/main';
import { k8sShop } from './k8s-shop/main';
import { vsphereNsx } from './vsphere-nsx/main';

// Every example is its own stack; `npx cdktf synth` writes them all to cdktf.out/.
const app = new App();
awsThreeTier(app);
azureThreeTier(app);
vsphereNsx(app);
baselinePreset(app);
awsShop(app);
k8sShop(app);
hostEstate(app);
gcpThreeTier(app);
app.synth();
