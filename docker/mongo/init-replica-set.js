// Run by the mongo-init service of compose.production.yml with the root user (mongosh --file).
// Initiates rs0 once, with its members named as the containers reach them, waits for a
// primary, then creates the application's user once. Safe to run again.
const members = ['mongo1:27017', 'mongo2:27017', 'mongo3:27017'];

try {
  rs.status();
  print('rs0 is already initiated');
} catch (error) {
  if (error.codeName !== 'NotYetInitialized') throw error;
  rs.initiate({ _id: 'rs0', members: members.map((host, i) => ({ _id: i, host, priority: i === 0 ? 2 : 1 })) });
  print(`rs0 initiated with ${members.join(', ')}`);
}

for (let waited = 0; !db.hello().isWritablePrimary; waited++) {
  if (waited >= 60) throw new Error('no primary after 60 s');
  sleep(1000);
}

const admin = db.getSiblingDB('admin');
const user = process.env.MONGO_APP_USERNAME;
if (admin.getUser(user)) {
  print(`user ${user} exists`);
} else {
  admin.createUser({ user, pwd: process.env.MONGO_APP_PASSWORD, roles: [{ role: 'readWrite', db: 'contact_profiles' }] });
  print(`user ${user} created with readWrite on contact_profiles`);
}
