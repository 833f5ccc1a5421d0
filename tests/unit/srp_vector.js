// Regenerates the SRP known-answer vectors in test_srp_known_answer.py with AWS's own
// JavaScript client, amazon-cognito-identity-js (ACIJ): an independent witness of our maths.
// Not run in CI. To regenerate, outside the repo:
//
//   mkdir /tmp/srpvec && cd /tmp/srpvec && npm init -y
//   npm install amazon-cognito-identity-js@6.3.21
//   NODE_PATH=/tmp/srpvec/node_modules node /path/to/tests/unit/srp_vector.js
//
// It drives ACIJ's real CognitoUser.authenticateUser (USER_SRP_AUTH) against a fake transport
// that answers InitiateAuth with a fixed PASSWORD_VERIFIER challenge, with every random input
// fixed: the private `a` (AuthenticationHelper.generateRandomSmallA, the one random source of
// the exchange), the server's SRP_B, SALT and SECRET_BLOCK, and the clock (`new Date()`, which
// ACIJ's DateHelper formats into TIMESTAMP). It prints, as JSON, what ACIJ sent: SRP_A and the
// PASSWORD_VERIFIER answer, plus the HKDF key it derived.
'use strict';

const ACIJ = require('amazon-cognito-identity-js');
const acijVersion = require('amazon-cognito-identity-js/package.json').version;

const VECTORS = [
	{
		name: 'ascii-msb-set',
		poolId: 'us-east-1_KnownAns1',
		clientId: '1example23456789clientid',
		username: 'alice@example.com',
		userIdForSrp: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
		password: 'Correct-Horse-9!',
		smallA:
			'32da5f53c41b27471df5dc56ac4053bf53ee1c1d8bc5cfed34e2bc2e5d9f03cbaacb262c9d71badbe442167607dcfb22' +
			'4bd1b46cde7ce7fea5344e79610716be0e26090cfeed80341865039edeef21a3ca815b5bd822f302efd926cc28116541' +
			'62ea22115e44de7fd71f9eff55aca06ee9f477135cd5098c013c0946ef30c118',
		srpB:
			'ef999a0941871b5afe36901e04cdc300ccbbef9e2c0dedc2098e23b836a267dc141d5cbbf6ff7420623ea5f303ce4a9b' +
			'db12f8495d75adc61e48c42530335e8529aa20fd4f89300cb709ae2f7cb104b4fa7e69c66a2e27bcfa5573f1b2682e70' +
			'2ba54b81eb350e35f6c06d03acdd5275c43e6994b70971647c91084421be4e9fadaebedb4531c0ee7a3bbda88f2ae57e' +
			'8d750bec510c2385fa8285ec43626dde2637be61a0c9e3a27c73c3b331c9ede1e839443b7f7840da5151227d1602eb90' +
			'f52c34e91cc8ff9e4a8498860e6060d0e5a26bdffbe365a3dfd8b0200fabcb7d74d6d518e8c206443cbf61fae64f9f5e' +
			'e1bc54fa238ff312f81104084f9bffd0780e2c0b3cd638376ebf7ed6fae418179a66bb3d753dc8d5b984677f3b79b14c' +
			'1a77cea6115f83c22b65aae1e7018b837534bf686d076b4de40a154db8a05e529c75a1296f6002b01d35ff5f01d96ee5' +
			'f2707fbe342a671637d818d1547bae468b0ffea9896390983054f7f61c64d04dcfff42bcb74ba6f235316fd4af19b0ab',
		salt: 'c3d4e5f6a7b8091a2b3c4d5e6f708192',
		secretBlock:
			'XjAeoRHEPZUe/QKY+B+nzjKtNpQ/DRBavCsiQYXct/v/bx1vNNBhw93pd/5lsSMV3Aw1Q9lCWVr5DDeOisuUyfw2CovQ1DKG' +
			'I6e6k8SS1Lfq8spCYJ6zpuS6Dccb0ht9',
		// Thu Mar 5 07:04:09 UTC 2026: a one-digit day and hour, to show the padding rules.
		nowMs: Date.UTC(2026, 2, 5, 7, 4, 9),
	},
	{
		name: 'utf8-odd-salt',
		poolId: 'eu-west-1_AbC123xyz',
		clientId: '7abcdefghijklmnopqrstuvwx',
		username: 'jörg',
		userIdForSrp: 'jörg',
		password: 'pässwörd-Ω 2',
		smallA:
			'c61296b198f1b23d95a8949ea4236833725fd6e0e0325605989cb6041dd7919bb9407f8f199fd9267bde3f6a76a810b1' +
			'b81b7abbb0504b88f079fa365c461e3a420454d93096be76d39391237cc5aa65a331006c5325a03c75c5ac2ebcfc692f' +
			'09690f88ec1ff0ac5502e0fe14fbd92d47572e000c4ea8e604852e890435550a',
		srpB:
			'600ca7284e79646e7f65234f8c0698cb805f176f40b11918439db5ced6c7e86c4ceadd4dee114b0db7aced131858eb1f' +
			'84b1149b8845b7bb8daa16ef7f7f2d2914d28cb5457c188311e6a3460f2e85b341c9c8a33fa3a7aeeb02d2f95ef48ce1' +
			'16223a2647fa2a3903c8084aaa553929e944ae83c45ea2363e017cddb87fbe6fd116903ebb93506babf69b73ce1af103' +
			'f207d95bc5d0f30c8f135663b79d549cd028281b87d3763e8c43da919274e2fc507178c0053699a2e5b5b464537d0080' +
			'8cff81457ece0a762049319973b647d165e79f213d9c235146abc4be9e68c9a3d1147321ae17a76bdce76a4ba0fe4622' +
			'0849cf9b0c904696ae54170de86e9dfde8cbd809c1afb839a904fa36e6c39f31078650ee2746a71ef1762d8b058e6380' +
			'09812eef5f217798720cf4c6de7dfd9d9ff35f4cea3685fbee46aabb9ee1c6088b90e35a4abd31ef04699edaab059ab4' +
			'7b187ffd5cc035dea81c46c82a1929843a746d09b215b56210082cfab4e00d08ad7a388f68e881fcca5949791fa6f595',
		// 31 hex digits with a low first nibble: padHex prepends one "0", not "00".
		salt: '7a1b2c3d4e5f60718293a4b5c6d7e8f',
		secretBlock:
			'gyLpHBhc+0G4KMrejpt/eCET8pt7njoEQxfebW7aQUBDcTutcK1P2svxEZROnWTn4sybmLu2BFJ4I/T/SLA9o0c+4PwE71AI' +
			'sHRD1plJEgDkItBpkpobnp8ZAup6GmlI',
		// Sun Nov 29 23:59:59 UTC 2026.
		nowMs: Date.UTC(2026, 10, 29, 23, 59, 59),
	},
];

// The fixed inputs, installed before each run.
let current = null;

// `a`: ACIJ's BigInteger class is not exported; take it from a helper's N.
const BigInteger = new ACIJ.AuthenticationHelper('x').N.constructor;
ACIJ.AuthenticationHelper.prototype.generateRandomSmallA = function fixedSmallA() {
	return new BigInteger(current.smallA, 16);
};

// The HKDF key, seen on its way to the signature.
const realKey = ACIJ.AuthenticationHelper.prototype.getPasswordAuthenticationKey;
ACIJ.AuthenticationHelper.prototype.getPasswordAuthenticationKey = function spyKey(...args) {
	const callback = args.pop();
	return realKey.call(this, ...args, (err, hkdf) => {
		if (!err) current.seenKey = Buffer.from(hkdf).toString('hex');
		callback(err, hkdf);
	});
};

// The clock: `new Date()` with no argument is the vector's instant.
const RealDate = Date;
global.Date = class FixedDate extends RealDate {
	constructor(...args) {
		if (args.length === 0) super(current.nowMs);
		else super(...args);
	}
	static now() {
		return current.nowMs;
	}
};

function run(vector) {
	current = { ...vector };
	const pool = new ACIJ.CognitoUserPool({
		UserPoolId: vector.poolId,
		ClientId: vector.clientId,
	});
	const user = new ACIJ.CognitoUser({ Username: vector.username, Pool: pool });
	const out = {};
	// The fake transport: ACIJ's requests never leave the process.
	user.client = {
		request(operation, params, callback) {
			if (operation === 'InitiateAuth') {
				out.srpA = params.AuthParameters.SRP_A;
				return callback(null, {
					ChallengeName: 'PASSWORD_VERIFIER',
					Session: 'fixed-session',
					ChallengeParameters: {
						USER_ID_FOR_SRP: vector.userIdForSrp,
						USERNAME: vector.userIdForSrp,
						SRP_B: vector.srpB,
						SALT: vector.salt,
						SECRET_BLOCK: vector.secretBlock,
					},
				});
			}
			if (operation === 'RespondToAuthChallenge') {
				out.challengeResponses = params.ChallengeResponses;
				return callback(new Error('stop: vector captured'), null);
			}
			return callback(new Error(`unexpected ${operation}`), null);
		},
	};
	user.authenticateUser(
		new ACIJ.AuthenticationDetails({ Username: vector.username, Password: vector.password }),
		{ onSuccess() {}, onFailure() {} }
	);
	const answer = out.challengeResponses;
	return {
		name: vector.name,
		srpA: out.srpA,
		hkdfKey: current.seenKey,
		timestamp: answer.TIMESTAMP,
		passwordClaimSignature: answer.PASSWORD_CLAIM_SIGNATURE,
	};
}

console.log(
	JSON.stringify(
		{
			generator: `amazon-cognito-identity-js@${acijVersion}`,
			vectors: VECTORS.map(run),
		},
		null,
		2
	)
);
