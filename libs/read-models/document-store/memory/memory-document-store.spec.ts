import { describeDocumentStoreContract } from '../document-store.contract.js';
import { MemoryDocumentStore } from './memory-document-store.js';

describeDocumentStoreContract('MemoryDocumentStore', async () => new MemoryDocumentStore());
